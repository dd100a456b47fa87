import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { submitBranchJob } from "../plan/submit-branch-job.js";
import type { RouteHandler } from "../runner-context.js";
import { answerJob } from "./answer-job.js";
import { optionalBoolean, optionalServiceList, optionalString, readCiBody } from "./read-ci-body.js";

/**
 * `POST /sync`: `{ services: [...] }` or `{ all: true }`, optional `env` (default `DEPLOY_ENV`) and `wait`, synced at
 * the current tip of the followed branch. It never goes back in time, so an identical request may be sent again
 * (e.g. from a cron job); `all` also moves the environment's branch position once every service succeeded.
 */
export const handleSync: RouteHandler = async (request, context, baseLogger, requestId) => {
  const { fields } = await readCiBody(request, context, ["services", "all", "env", "wait"]);
  const requested = optionalServiceList(fields, "services");
  const { all } = fields;
  if (all !== undefined && all !== true) {
    throw new HttpError(400, "invalid_request", "all must be true when present");
  }
  if ((requested === undefined) === (all === undefined)) {
    throw new HttpError(400, "invalid_request", 'exactly one of services (an array) or "all": true is required');
  }
  const env = optionalString(fields, "env") ?? context.settings.deployEnv;
  const wait = optionalBoolean(fields, "wait");
  const delivery = requestId();
  const logger = baseLogger.child({ delivery, env });
  const result = await submitBranchJob(
    { ...context, branch: context.settings.gitBranch },
    { trigger: "sync", env, services: requested, extras: { delivery } },
    logger,
  );
  const { plan } = result;
  if (result.status === "no_changes") {
    return jsonResponse(200, { status: "no_changes", env, commit: plan.commit, services: [], deployments: [] });
  }
  const services = plan.services.map(({ service }) => service.name);
  logger.info({ commit: plan.commit, services, deployment: result.outcome.job.id }, "sync planned");
  return answerJob(context, result.outcome, wait, { env, commit: plan.commit, services });
};
