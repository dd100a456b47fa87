import { requireApiToken } from "../auth/api-token.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import { mediaType } from "../http/media-type.js";
import { parseJsonBody } from "../http/parse-json-body.js";
import { readBody } from "../http/read-body.js";
import type { RouteHandler } from "../runner-context.js";
import { deploymentId } from "./handle-deployment.js";
import { optionalBoolean } from "./read-ci-body.js";

async function readForce(request: Request, maxBytes: number): Promise<boolean> {
  const body = await readBody(request, maxBytes);
  if (body.byteLength === 0) {
    return false;
  }
  if (mediaType(request) !== "application/json") {
    throw new HttpError(415, "unsupported_media_type", "expected application/json (or no body)");
  }
  const value = parseJsonBody(body);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new HttpError(400, "invalid_request", "request body must be a JSON object");
  }
  const unknown = Object.keys(value).find((key) => key !== "force");
  if (unknown !== undefined) {
    throw new HttpError(400, "invalid_request", `unknown field ${JSON.stringify(unknown)}: expected only force`);
  }
  return optionalBoolean(value as Record<string, unknown>, "force");
}

/**
 * `POST /deployments/<id>/cancel` (`{"force": true}` optional; needs `IAC_API_TOKEN`). Queued services end at once.
 * Running ones stop waiting and record nothing; their runner asks Dokploy to drop the compose's queued deploys
 * (`compose.cleanQueues`) and, only with `force`, to kill running builds (`compose.killBuild` kills every build on
 * that Dokploy host). The answer says which services were dequeued and which are stopping; the job shows the rest.
 */
export const handleCancel: RouteHandler = async (request, context, logger) => {
  requireApiToken(request, context.settings.apiToken, new URL(request.url).pathname);
  const force = await readForce(request, context.settings.maxBodyBytes);
  const id = deploymentId(request, "cancel");
  const outcome = await context.engine.cancel(id, force);
  if (outcome === undefined) {
    throw new HttpError(404, "deployment_not_found", `no deployment ${JSON.stringify(id)} (unknown or expired)`);
  }
  logger.info({ deployment: id, force, ...outcome, job: undefined }, "cancel requested");
  const job = (await context.engine.wait(id, 2_000)) ?? outcome.job;
  return jsonResponse(200, {
    status: outcome.dequeued.length + outcome.stopping.length === 0 ? "already_finished" : "cancelling",
    force,
    dequeued: outcome.dequeued,
    stopping: outcome.stopping,
    job,
  });
};
