import { type PushEvent, PushEventError, parsePushEvent, verifyWithFallback } from "@iac/sync";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { mediaType } from "../http/media-type.js";
import { parseJsonBody } from "../http/parse-json-body.js";
import { readBody } from "../http/read-body.js";
import { submitBranchJob } from "../plan/submit-branch-job.js";
import type { RouteHandler, RunnerContext } from "../runner-context.js";
import type { Logger } from "../types.js";

const ZERO_SHA = /^0{40}$/;

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

function ignoreReason(push: PushEvent, branch: string): string | undefined {
  if (push.tag !== null) {
    return `tag push (${push.tag}); tags are deployed through /deploy`;
  }
  if (push.deleted || ZERO_SHA.test(push.after)) {
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

/**
 * `POST /webhook`: GitHub deliveries. The signature is checked on the raw bytes before anything is parsed. A push to
 * the followed branch is fetched, diffed and mapped at the pushed commit, and one sync job is started; the answer
 * never waits for deploys, and when fetching takes longer than the deadline the answer is 202 at once while the
 * work finishes in the background (GitHub gives up after 10 s). Each delivery is counted once for `GET /metrics`,
 * with its outcome or the code it was refused with (a delivery answered before its fetch ended, once that is known).
 */
export const handleWebhook: RouteHandler = async (request, context, baseLogger, requestId) => {
  try {
    return await receiveWebhook(request, context, baseLogger, requestId);
  } catch (error) {
    context.metrics.webhookRefused(request.headers.get("x-github-event"), error);
    throw error;
  }
};

const receiveWebhook: RouteHandler = async (request, context, baseLogger, requestId) => {
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
    throw new HttpError(401, "missing_signature", "missing X-Hub-Signature-256 header");
  }
  const body = await readBody(request, context.settings.webhookMaxBodyBytes);
  const [current = "", ...previous] = await context.secrets();
  if (!(await verifyWithFallback(current, body, signature, previous))) {
    throw new HttpError(401, "invalid_signature", "signature does not match");
  }
  const event = request.headers.get("x-github-event");
  if (event === null || event.trim() === "") {
    throw new HttpError(400, "missing_event", "missing X-GitHub-Event header");
  }
  const deliveryHeader = request.headers.get("x-github-delivery");
  const delivery = deliveryHeader ?? requestId;
  const logger = baseLogger.child({ delivery, event });
  if (event === "ping") {
    context.metrics.webhookAnswered(event, "pong");
    return jsonResponse(200, { status: "pong", delivery });
  }
  if (event !== "push") {
    context.metrics.webhookAnswered(event, "ignored");
    return jsonResponse(202, { status: "ignored", event, delivery, reason: `event ${event} is not handled` });
  }
  let push: PushEvent;
  try {
    push = parsePushEvent(readPayload(body, type));
  } catch (error) {
    // Only a payload the parser refused is the sender's fault; anything else is a bug and answers 500.
    if (error instanceof PushEventError) {
      throw new HttpError(400, "invalid_payload", error.message);
    }
    throw error;
  }
  const reason = ignoreReason(push, context.settings.gitBranch);
  if (reason !== undefined) {
    context.metrics.webhookAnswered(event, "ignored");
    return jsonResponse(202, { status: "ignored", event, delivery, reason });
  }
  const keyed = deliveryHeader !== null;
  if (keyed) {
    // Redeliver is how users retry: a delivery whose job failed or was cancelled runs again; any other is answered
    // with its job. The store decides again atomically when the job is created (two runners, one delivery).
    const earlier = await context.store.jobByKey(deliveryKey(delivery), context.now());
    if (earlier !== undefined && earlier.state !== "failed" && earlier.state !== "cancelled") {
      context.metrics.webhookAnswered(event, "duplicate");
      return jsonResponse(200, { status: "duplicate", delivery, deployments: [earlier.id] });
    }
  }
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
};
