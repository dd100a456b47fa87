import { hasApiToken } from "../auth/api-token.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import type { RouteHandler } from "../runner-context.js";
import { jobView } from "./job-view.js";

/**
 * The job id of `/deployments/<id>` or, with `action`, of `/deployments/<id>/<action>`: the segment before the action,
 * counted from the end so that the runner's base path does not matter.
 */
export function deploymentId(request: Request, action?: string): string {
  const segments = new URL(request.url).pathname.split("/");
  const raw = segments.at(action === undefined ? -1 : -2) ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    // A malformed escape cannot name a job; look it up as written so the answer is a plain 404.
    return raw;
  }
}

/**
 * `GET /deployments/<id>`: one job, so CI can poll until it ended. Ids are random and unguessable, so this needs no
 * token; without `IAC_API_TOKEN` as bearer token, errors show their codes but not their upstream text.
 */
export const handleDeployment: RouteHandler = async (request, context) => {
  const id = deploymentId(request);
  const job = await context.engine.get(id);
  if (job === undefined) {
    throw new HttpError(404, "deployment_not_found", `no deployment ${JSON.stringify(id)} (unknown or expired)`);
  }
  return jsonResponse(200, jobView(job, hasApiToken(request, context.settings.apiToken)));
};
