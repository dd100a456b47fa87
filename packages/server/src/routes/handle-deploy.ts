import { fetchRepository } from "../fetch-repository.js";
import { isCommitSha, refNameProblem } from "../git/ref-name.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { loadCatalogOrFail } from "../load-catalog-or-fail.js";
import type { RouteHandler, RunnerContext } from "../runner-context.js";
import { requireEnvironment, selectServices, syncableServiceNames } from "../select-services.js";
import type { Logger } from "../types.js";
import { optionalServiceList, optionalString, readCiBody } from "./read-ci-body.js";

async function resolveTag(tag: string, context: RunnerContext, logger: Logger): Promise<string> {
  const problem = refNameProblem(tag);
  if (problem !== undefined || tag.startsWith("refs/")) {
    throw new HttpError(
      400,
      "invalid_tag",
      `invalid tag ${JSON.stringify(tag)}: it ${problem ?? "must be a tag name, not a full ref"}`,
    );
  }
  await fetchRepository(context.git, logger);
  const commit = (await context.git.tagExists(tag)) ? await context.git.resolveCommit(`refs/tags/${tag}`) : null;
  if (commit === null) {
    throw new HttpError(404, "tag_not_found", `tag ${JSON.stringify(tag)} does not exist in the repository`);
  }
  return commit;
}

async function resolveRef(ref: string, context: RunnerContext, logger: Logger): Promise<string> {
  if (!isCommitSha(ref)) {
    throw new HttpError(400, "invalid_ref", `invalid ref ${JSON.stringify(ref)}: expected a 40-hex commit SHA`);
  }
  const known = await context.git.resolveCommit(ref);
  if (known !== null) {
    return known;
  }
  await fetchRepository(context.git, logger);
  const fetched = await context.git.resolveCommit(ref);
  if (fetched === null) {
    throw new HttpError(404, "commit_not_found", `commit ${ref} does not exist in the repository`);
  }
  return fetched;
}

/**
 * `POST /deploy`: `{ env, tag | ref, triggered_by?, services? }` from CI. Resolves the tag (or 40-hex commit) to a
 * commit and starts one sync of every automatic service (or the listed ones) at that commit for `env`.
 */
export const handleDeploy: RouteHandler = async (request, context, baseLogger, requestId) => {
  const body = await readCiBody(request, context, ["env", "tag", "ref", "triggered_by", "services"]);
  const env = optionalString(body, "env");
  const tag = optionalString(body, "tag");
  const ref = optionalString(body, "ref");
  const triggeredBy = optionalString(body, "triggered_by");
  const requested = optionalServiceList(body, "services");
  if (env === undefined) {
    throw new HttpError(400, "invalid_request", 'env is required, e.g. "staging"');
  }
  if ((tag === undefined) === (ref === undefined)) {
    throw new HttpError(400, "invalid_request", "exactly one of tag or ref is required");
  }
  const logger = baseLogger.child({ delivery: requestId, env, ...(tag === undefined ? {} : { tag }) });
  const commit =
    tag !== undefined ? await resolveTag(tag, context, logger) : await resolveRef(ref ?? "", context, logger);
  const { config, catalog } = await loadCatalogOrFail(context.git, commit);
  requireEnvironment(config, env);
  const services = requested === undefined ? syncableServiceNames(catalog) : selectServices(catalog, requested);
  if (services.length === 0) {
    return jsonResponse(200, { status: "no_changes", env, tag, commit, services, deployments: [] });
  }
  const job = context.engine.start({ env, commit, services, trigger: "deploy", delivery: requestId, triggeredBy });
  logger.info({ commit, services, deployment: job.id, triggeredBy }, "deploy accepted");
  return jsonResponse(202, {
    status: "accepted",
    env,
    ...(tag === undefined ? { ref } : { tag }),
    commit,
    services,
    deployments: [job.id],
  });
};
