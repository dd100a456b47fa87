import {
  type PushEvent,
  PushEventError,
  type PushHead,
  type PushRef,
  parsePushEvent,
  parsePushHead,
  readPushRef,
} from "@iac/sync";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { mediaType } from "../http/media-type.js";
import { parseJsonBody } from "../http/parse-json-body.js";
import { readBody } from "../http/read-body.js";
import { submitBranchJob } from "../plan/submit-branch-job.js";
import type { RouteHandler, RunnerContext } from "../runner-context.js";
import type { Logger } from "../types.js";
import { receivePullRequest } from "./receive-pull-request.js";

const ZERO_SHA = /^0{40}$/;

// Refusals that say nothing about the request are built once, and returned rather than thrown: a flood of them costs
// no new error, no JSON and no exception unwinding each.
const MISSING_SIGNATURE = new HttpError(401, "missing_signature", "missing X-Hub-Signature-256 header");
const INVALID_SIGNATURE = new HttpError(401, "invalid_signature", "signature does not match");

/** A signature refusal, built once and answered without a throw (the cheap path of a flood), counted for metrics. */
function refuse(request: Request, context: RunnerContext, refusal: HttpError): Response {
  context.metrics.webhookRefused(request.headers.get("x-github-event"), refusal);
  return refusal.getResponse();
}

function readPayload(body: Uint8Array, type: string): unknown {
  if (type === "application/json") {
    return parseJsonBody(body);
  }
  // Form deliveries carry the JSON in a `payload` field; the signature covers the encoded form body.
  const payload = new URLSearchParams(new TextDecoder().decode(body)).get("payload");
  if (payload === null) {
    throw new HttpError(400, "invalid_payload", "form-encoded delivery without a payload field");
  }
  return parseJsonBody(payload);
}

/** Reads the push with `parse`; a payload the parser refuses is the sender's fault (400), anything else a bug. */
function readPush<T>(parse: (payload: unknown) => T, payload: unknown): T {
  try {
    return parse(payload);
  } catch (error) {
    if (error instanceof PushEventError) {
      throw new HttpError(400, "invalid_payload", error.message);
    }
    throw error;
  }
}

/** The answer to a delivery the runner has nothing to do for, counted. */
function ignored(event: string, delivery: string, reason: string, context: RunnerContext): Response {
  context.metrics.webhookAnswered(event, "ignored");
  return jsonResponse(202, { status: "ignored", event, delivery, reason });
}

/** Why the runner ignores a push, undefined when it follows its branch. The ref alone decides (see `readPushRef`). */
function ignoreReason(push: PushRef & Partial<Pick<PushHead, "deleted">>, branch: string): string | undefined {
  if (push.tag !== null) {
    return `tag push (${push.tag}); tags are deployed through /deploy`;
  }
  if (push.deleted === true || ZERO_SHA.test(push.after)) {
    return `branch ${push.branch ?? push.ref} was deleted`;
  }
  if (push.branch !== branch) {
    return `push to ${push.branch ?? push.ref}; the runner follows ${branch}`;
  }
  return undefined;
}

async function processPush(push: PushEvent, delivery: string, keyed: boolean, context: RunnerContext, logger: Logger) {
  const env = context.settings.deployEnv;
  const result = await submitBranchJob(
    { ...context, branch: context.settings.gitBranch },
    {
      trigger: "webhook",
      env,
      push: { before: push.before.toLowerCase(), after: push.after.toLowerCase() },
      extras: { delivery, deliveryKey: keyed ? deliveryKey(delivery) : undefined },
    },
    logger,
  );
  if (result.status === "ignored") {
    context.metrics.webhookAnswered("push", "ignored");
    const reason = result.detail;
    logger.info({ reason }, "push changes nothing");
    return jsonResponse(202, { status: "ignored", event: "push", delivery, commit: push.after.toLowerCase(), reason });
  }
  const { plan } = result;
  const skipped = plan.skipped;
  if (result.status === "no_changes") {
    context.metrics.webhookAnswered("push", "no_changes");
    logger.info({ commit: plan.commit, ignored: skipped.length }, "push changes no service");
    return jsonResponse(200, { status: "no_changes", delivery, commit: plan.commit, ignored: skipped });
  }
  const { job } = result.outcome;
  context.metrics.webhookAnswered("push", result.outcome.status === "created" ? "accepted" : "duplicate");
  const services = job.services.map(({ service }) => service);
  logger.info({ commit: job.commit, env, services, deployment: job.id, status: result.outcome.status }, "push planned");
  return jsonResponse(result.outcome.status === "created" ? 202 : 200, {
    status: result.outcome.status === "created" ? "accepted" : "duplicate",
    delivery,
    env,
    commit: job.commit,
    services,
    reasons: Object.fromEntries(job.services.map(({ service, reason }) => [service, reason])),
    skipped,
    deployments: [job.id],
  });
}

function deliveryKey(delivery: string): string {
  return `delivery:${delivery}`;
}

/** The answer to a delivery whose job exists, from the store or from the deliveries remembered. */
function duplicateAnswer(delivery: string, job: string): Response {
  return jsonResponse(200, { status: "duplicate", delivery, deployments: [job] });
}

/**
 * The job that answers a redelivery of `delivery` as a duplicate, if there is one: any job but a failed or cancelled
 * one (redeliver is how users retry). The store decides again atomically when a job is created (two runners, one
 * delivery). Deliveries whose job ended for good are remembered with the push's signature (see `SettledDeliveries`).
 */
async function earlierJob(delivery: string, signature: string, context: RunnerContext): Promise<string | undefined> {
  const earlier = await context.store.jobByKey(deliveryKey(delivery), context.now());
  if (earlier === undefined || earlier.state === "failed" || earlier.state === "cancelled") {
    return undefined;
  }
  context.deliveries.remember(delivery, signature, earlier);
  return earlier.id;
}

/**
 * `POST /webhook`: GitHub deliveries. The signature is checked on the raw bytes before anything is parsed. A push to
 * the followed branch is fetched, diffed and mapped at the pushed commit, and one sync job is started; the answer
 * never waits for deploys, and when fetching takes longer than the deadline the answer is 202 at once while the
 * work finishes in the background (GitHub gives up after 10 s). A `pull_request` is handed to the pull request planner
 * (see `receivePullRequest`). Each delivery is counted once for `GET /metrics`,
 * with its outcome or the code it was refused with (a delivery answered before its fetch ended, once that is known).
 */
export const handleWebhook: RouteHandler = async (request, context, baseLogger, requestId) => {
  // One async function with the refusal count in its catch, rather than a wrapper awaiting another: every
  // delivery, refused or not, would pay for a second promise.
  try {
    const type = mediaType(request);
    if (type !== "application/json" && type !== "application/x-www-form-urlencoded") {
      throw new HttpError(
        415,
        "unsupported_media_type",
        `unsupported content type ${JSON.stringify(type)}: expected application/json or application/x-www-form-urlencoded`,
      );
    }
    // Checked before the body is read, so an unsigned request cannot make the runner buffer up to the body limit.
    const signature = request.headers.get("x-hub-signature-256");
    if (signature === null) {
      return refuse(request, context, MISSING_SIGNATURE);
    }
    const body = await readBody(request, context.settings.webhookMaxBodyBytes);
    // With the built-in crypto module, the verifier and its answer come at once: no promise per delivery.
    const found = context.verifier();
    const verdict = (found instanceof Promise ? await found : found).verify(body, signature);
    if (!(typeof verdict === "boolean" ? verdict : await verdict)) {
      return refuse(request, context, INVALID_SIGNATURE);
    }
    const event = request.headers.get("x-github-event");
    if (event === null || event.trim() === "") {
      throw new HttpError(400, "missing_event", "missing X-GitHub-Event header");
    }
    const deliveryHeader = request.headers.get("x-github-delivery");
    const delivery = deliveryHeader ?? requestId();
    if (event === "ping") {
      context.metrics.webhookAnswered(event, "pong");
      return jsonResponse(200, { status: "pong", delivery });
    }
    if (event === "pull_request") {
      return receivePullRequest(
        () => readPayload(body, type),
        delivery,
        context,
        baseLogger.child({ delivery, event }),
      );
    }
    if (event !== "push") {
      return ignored(event, delivery, `event ${event} is not handled`, context);
    }
    const keyed = deliveryHeader !== null;
    // GitHub's retry of a push whose job ended for good: the same delivery with the same signature is the very bytes
    // answered before, so it is answered again at once, without reading them.
    const settled = keyed ? context.deliveries.jobOf(delivery, signature, context.now()) : undefined;
    if (settled !== undefined) {
      context.metrics.webhookAnswered(event, "duplicate");
      return duplicateAnswer(delivery, settled);
    }
    // Whether the push concerns the runner is decided on its ref alone, read from the start of the body as GitHub
    // writes it: a push to a branch the runner does not follow is answered without parsing its commits, so a stream
    // of them costs little more than verifying them. A body that starts otherwise is parsed first.
    const { gitBranch } = context.settings;
    const quick = type === "application/json" ? readPushRef(body) : undefined;
    const quickReason = quick === undefined ? undefined : ignoreReason(quick, gitBranch);
    if (quickReason !== undefined) {
      return ignored(event, delivery, quickReason, context);
    }
    const payload = readPayload(body, type);
    const reason = ignoreReason(readPush(parsePushHead, payload), gitBranch);
    if (reason !== undefined) {
      return ignored(event, delivery, reason, context);
    }
    const push = readPush(parsePushEvent, payload);
    if (keyed) {
      const earlier = await earlierJob(delivery, signature, context);
      if (earlier !== undefined) {
        context.metrics.webhookAnswered(event, "duplicate");
        return duplicateAnswer(delivery, earlier);
      }
    }
    // Made only here: the deliveries answered above log nothing.
    const logger = baseLogger.child({ delivery, event });
    const work = processPush(push, delivery, keyed, context, logger.child({ commit: push.after }));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), context.webhookDeadlineMs);
    });
    const outcome = await Promise.race([work, deadline]).finally(() => clearTimeout(timer));
    if (outcome !== "deadline") {
      return outcome;
    }
    work.then(
      (response) => logger.info({ status: response.status }, "webhook finished in the background"),
      (error: unknown) => {
        context.metrics.webhookRefused(event, error);
        logger.error({ err: error }, "webhook failed in the background");
      },
    );
    return jsonResponse(202, {
      status: "accepted",
      delivery,
      commit: push.after.toLowerCase(),
      pending: true,
      detail: "still fetching the repository; the sync starts when the fetch completes (see the runner logs)",
      services: [],
      skipped: [],
      deployments: [],
    });
  } catch (error) {
    context.metrics.webhookRefused(request.headers.get("x-github-event"), error);
    throw error;
  }
};
