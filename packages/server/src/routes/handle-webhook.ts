import { mapChanges, type PushEvent, parsePushEvent, verifyWithFallback } from "@iac/sync";
import { fetchRepository } from "../fetch-repository.js";
import { GitError } from "../git/run-git.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { mediaType } from "../http/media-type.js";
import { parseJsonBody } from "../http/parse-json-body.js";
import { readBody } from "../http/read-body.js";
import { loadCatalogOrFail } from "../load-catalog-or-fail.js";
import type { RouteHandler, RunnerContext } from "../runner-context.js";
import { BOOTSTRAP_LAYER, isSyncable, requireEnvironment } from "../select-services.js";
import type { Logger } from "../types.js";

/** GitHub allows redelivery of a delivery for three days; a redelivery keeps its `X-GitHub-Delivery` id. */
const DELIVERY_TTL_MS = 3 * 24 * 60 * 60 * 1000;
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

async function changedPaths(push: PushEvent, context: RunnerContext, logger: Logger): Promise<string[]> {
  if (push.complete) {
    return [...push.files.added, ...push.files.modified, ...push.files.removed];
  }
  if (ZERO_SHA.test(push.before)) {
    return context.git.diffPaths(null, push.after);
  }
  try {
    return await context.git.diffPaths(push.before, push.after);
  } catch (error) {
    if (!(error instanceof GitError)) {
      throw error;
    }
    // The old head is unknown to the mirror (e.g. force-pushed away before the first fetch): every file counts as
    // changed, and the config hashes keep unchanged services from redeploying.
    logger.warn({ before: push.before }, "before commit unknown; treating every file as changed");
    return context.git.diffPaths(null, push.after);
  }
}

async function processPush(push: PushEvent, delivery: string, context: RunnerContext, logger: Logger) {
  const { git, engine, settings } = context;
  await fetchRepository(git, logger);
  const commit = push.after.toLowerCase();
  if ((await git.resolveCommit(commit)) === null) {
    return jsonResponse(202, {
      status: "ignored",
      event: "push",
      delivery,
      commit,
      reason: "the pushed commit is no longer in the repository (force-pushed away?)",
    });
  }
  const paths = await changedPaths(push, context, logger);
  const { config, catalog } = await loadCatalogOrFail(git, commit);
  requireEnvironment(config, settings.deployEnv);
  const mapping = mapChanges(catalog, paths);
  const byName = new Map(catalog.services.map((service) => [service.name, service]));
  const services: string[] = [];
  const skipped: Array<Record<string, string>> = mapping.ignored.map(({ path, reason, detail }) => ({
    path,
    reason,
    detail,
  }));
  for (const { name } of mapping.services) {
    const service = byName.get(name);
    if (service !== undefined && isSyncable(service)) {
      services.push(name);
    } else {
      skipped.push({ service: name, reason: "manual_layer", detail: `the ${BOOTSTRAP_LAYER} layer is never synced` });
    }
  }
  if (services.length === 0) {
    logger.info({ commit, ignored: skipped.length }, "push changes no service");
    return jsonResponse(200, { status: "no_changes", delivery, commit, ignored: skipped });
  }
  const job = engine.start({ env: settings.deployEnv, commit, services, trigger: "webhook", delivery });
  logger.info({ commit, env: settings.deployEnv, services, deployment: job.id }, "sync job accepted");
  return jsonResponse(202, {
    status: "accepted",
    delivery,
    env: settings.deployEnv,
    commit,
    services,
    skipped,
    deployments: [job.id],
  });
}

/**
 * `POST /webhook`: GitHub deliveries. The signature is checked on the raw bytes before anything is parsed. A push to
 * the followed branch is fetched, diffed and mapped at the pushed commit, and one sync job is started; the answer
 * never waits for deploys, and when fetching takes longer than the deadline the answer is 202 at once while the
 * work finishes in the background (GitHub gives up after 10 s).
 */
export const handleWebhook: RouteHandler = async (request, context, baseLogger, requestId) => {
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
    baseLogger.warn({}, "webhook signature mismatch");
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
    return jsonResponse(200, { status: "pong", delivery });
  }
  if (event !== "push") {
    return jsonResponse(202, { status: "ignored", event, delivery, reason: `event ${event} is not handled` });
  }
  let push: PushEvent;
  try {
    push = parsePushEvent(readPayload(body, type));
  } catch (error) {
    if (error instanceof TypeError) {
      throw new HttpError(400, "invalid_payload", error.message);
    }
    throw error;
  }
  const reason = ignoreReason(push, context.settings.gitBranch);
  if (reason !== undefined) {
    logger.info({ ref: push.ref }, "push ignored");
    return jsonResponse(202, { status: "ignored", event, delivery, reason });
  }
  const key = `delivery:${delivery}`;
  if (deliveryHeader !== null && !(await context.deliveries.claim(key, DELIVERY_TTL_MS))) {
    logger.info({}, "duplicate delivery");
    return jsonResponse(200, { status: "duplicate", delivery });
  }

  const work = processPush(push, delivery, context, logger.child({ commit: push.after })).catch(
    async (error: unknown) => {
      // A redelivery must be able to retry what failed on the runner's side.
      if (!(error instanceof HttpError) || error.status >= 500) {
        await context.deliveries.release(key);
      }
      throw error;
    },
  );
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
    (error: unknown) => logger.error({ err: error }, "webhook failed in the background"),
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
