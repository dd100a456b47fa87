import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import type { RouteHandler } from "../runner-context.js";

/** `GET /deployments/<id>`: the sync job, so CI can poll until it finished. Ids are random and unguessable. */
export const handleDeployment: RouteHandler = async (request, context) => {
  const raw = new URL(request.url).pathname.slice("/deployments/".length);
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    // A malformed escape cannot name a job; look it up as written so the answer is a plain 404.
  }
  const job = context.engine.get(id);
  if (job === undefined) {
    throw new HttpError(404, "deployment_not_found", `no deployment ${JSON.stringify(id)} (unknown or expired)`);
  }
  return jsonResponse(200, job);
};
