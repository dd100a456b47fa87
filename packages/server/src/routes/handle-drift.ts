import { requireApiToken } from "../auth/api-token.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import type { RouteHandler } from "../runner-context.js";

/**
 * `GET /drift`: the last drift detection round's report, by whichever runner sharing the store ran it (`checkedAt:
 * null` with the reason when none was kept); needs `IAC_API_TOKEN` like `GET /deployments`.
 */
export const handleDrift: RouteHandler = async (request, context) => {
  const url = new URL(request.url);
  requireApiToken(request, context.settings.apiToken, url.pathname);
  const unknown = [...url.searchParams.keys()][0];
  if (unknown !== undefined) {
    throw new HttpError(400, "invalid_request", `unknown parameter ${JSON.stringify(unknown)}: expected none`);
  }
  return jsonResponse(200, await context.drift());
};
