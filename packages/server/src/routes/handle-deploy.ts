import { resolvePlan } from "@iac/sync";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { expectStored } from "../plan/expect-stored.js";
import { loadPlanCatalog } from "../plan/load-plan-catalog.js";
import { type ReleaseRef, resolveClaims, resolveRelease } from "../plan/resolve-release.js";
import { toNewJob } from "../plan/to-new-job.js";
import type { RouteHandler } from "../runner-context.js";
import { answerJob } from "./answer-job.js";
import { optionalBoolean, optionalServiceList, optionalString, readCiBody } from "./read-ci-body.js";

/** Identical plain-signed requests are remembered at least this long (a captured one cannot roll back later). */
export const REQUEST_MEMORY_MS: number = 30 * 24 * 60 * 60 * 1000;

/** The environment of a request without `env`, as with the original runner. */
const DEFAULT_DEPLOY_ENV = "staging";

/**
 * `POST /deploy`: `{ env?, tag | ref, triggered_by?, services?, wait?, commit?, staging_tag? }` from CI. Resolves the
 * tag (or 40-hex commit) to a commit and stores one job syncing every automatic service (or the listed ones) at that
 * commit for `env` (`staging` when absent). An explicit target may be older than what runs (a rollback), so it needs a
 * fresh request: a plain-signed request identical to an earlier one answers the earlier job and runs nothing;
 * timestamped requests are single-use anyway.
 *
 * `commit` and `staging_tag` are what the original runner's release workflows send (it ignored them): the commit the
 * staging workflow tagged, and the staging release a production tag promotes. Here each must name the target's
 * commit (`resolvePlan` refuses a mismatch with 409 `commit_mismatch`), so what deploys is what CI tagged or staging
 * ran. The job records them (its `commit`, and `staging_tag` as `promotedFrom`), and the log names them.
 */
export const handleDeploy: RouteHandler = async (request, context, baseLogger, requestId) => {
  const { fields, signature, digest } = await readCiBody(request, context, [
    "env",
    "tag",
    "ref",
    "triggered_by",
    "services",
    "wait",
    "commit",
    "staging_tag",
  ]);
  const env = optionalString(fields, "env") ?? DEFAULT_DEPLOY_ENV;
  const tag = optionalString(fields, "tag");
  const ref = optionalString(fields, "ref");
  const triggeredBy = optionalString(fields, "triggered_by");
  const services = optionalServiceList(fields, "services");
  const wait = optionalBoolean(fields, "wait");
  const claimed = { commit: optionalString(fields, "commit"), stagingTag: optionalString(fields, "staging_tag") };
  const target: ReleaseRef | undefined =
    tag !== undefined && ref === undefined ? { tag } : ref !== undefined && tag === undefined ? { ref } : undefined;
  if (target === undefined) {
    throw new HttpError(400, "invalid_request", "exactly one of tag or ref is required");
  }
  const logger = baseLogger.child({
    delivery: requestId(),
    env,
    ...target,
    ...(claimed.commit === undefined ? {} : { claimedCommit: claimed.commit }),
    ...(claimed.stagingTag === undefined ? {} : { stagingTag: claimed.stagingTag }),
  });
  const requestKey = signature === "plain" ? `request:${digest}` : undefined;
  if (requestKey !== undefined) {
    const earlier = await context.store.jobByKey(requestKey, context.now());
    if (earlier !== undefined) {
      logger.info({ deployment: earlier.id }, "identical request answered with its earlier job");
      return answerJob(context, { status: "duplicate", job: earlier }, wait, {
        env,
        ...target,
        commit: earlier.commit,
      });
    }
  }
  const commit = await resolveRelease(context.git, target, logger);
  const claims = await resolveClaims(context.git, claimed, logger);
  const { catalog } = await loadPlanCatalog(context.git, commit);
  const plan = resolvePlan({ request: { trigger: "deploy", env, services, claims }, commit, catalog });
  if (plan.services.length === 0) {
    return jsonResponse(200, { status: "no_changes", env, ...target, commit, services: [], deployments: [] });
  }
  const stored = expectStored(
    await context.engine.submit(
      toNewJob(plan, context.now(), {
        delivery: requestId(),
        triggeredBy,
        tag,
        ref,
        promotedFrom: claimed.stagingTag,
        requestKey: requestKey === undefined ? undefined : { key: requestKey, ttlMs: REQUEST_MEMORY_MS },
      }),
    ),
  );
  const names = plan.services.map(({ service }) => service.name);
  logger.info({ commit, services: names, deployment: stored.job.id, triggeredBy }, "deploy planned");
  return answerJob(context, stored, wait, { env, ...target, commit, services: names });
};
