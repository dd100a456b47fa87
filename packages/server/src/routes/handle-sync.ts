import { fetchRepository } from "../fetch-repository.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { loadCatalogOrFail } from "../load-catalog-or-fail.js";
import type { RouteHandler } from "../runner-context.js";
import { requireEnvironment, selectServices, syncableServiceNames } from "../select-services.js";
import { optionalServiceList, optionalString, readCiBody } from "./read-ci-body.js";

/**
 * `POST /sync` (legacy): `{ services: [...] }` or `{ all: true }`, optional `env` (default `DEPLOY_ENV`), synced at
 * the current head of the followed branch.
 */
export const handleSync: RouteHandler = async (request, context, baseLogger, requestId) => {
  const body = await readCiBody(request, context, ["services", "all", "env"]);
  const requested = optionalServiceList(body, "services");
  const { all } = body;
  if (all !== undefined && all !== true) {
    throw new HttpError(400, "invalid_request", "all must be true when present");
  }
  if ((requested === undefined) === (all === undefined)) {
    throw new HttpError(400, "invalid_request", 'exactly one of services (an array) or "all": true is required');
  }
  const env = optionalString(body, "env") ?? context.settings.deployEnv;
  const logger = baseLogger.child({ delivery: requestId, env });
  await fetchRepository(context.git, logger);
  const branch = context.settings.gitBranch;
  const commit = await context.git.resolveCommit(`refs/heads/${branch}`);
  if (commit === null) {
    throw new HttpError(502, "branch_not_found", `branch ${branch} does not exist in the repository`);
  }
  const { config, catalog } = await loadCatalogOrFail(context.git, commit);
  requireEnvironment(config, env);
  const services = requested === undefined ? syncableServiceNames(catalog) : selectServices(catalog, requested);
  if (services.length === 0) {
    return jsonResponse(200, { status: "no_changes", env, commit, services, deployments: [] });
  }
  const job = context.engine.start({ env, commit, services, trigger: "sync", delivery: requestId });
  logger.info({ commit, services, deployment: job.id }, "sync accepted");
  return jsonResponse(202, { status: "accepted", env, commit, services, deployments: [job.id] });
};
