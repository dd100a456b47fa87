import { requireApiToken } from "../auth/api-token.js";
import { HttpError } from "../http/http-error.js";
import { jsonResponse } from "../http/json-response.js";
import type { RouteHandler } from "../runner-context.js";
import { JOB_STATES } from "../store/job-states.js";
import type { JobQuery, JobState } from "../types.js";

const FILTERS = new Set(["env", "service", "state", "limit", "cursor"]);

function readQuery(url: URL): JobQuery {
  const unknown = [...url.searchParams.keys()].find((key) => !FILTERS.has(key));
  if (unknown !== undefined) {
    throw new HttpError(
      400,
      "invalid_request",
      `unknown parameter ${JSON.stringify(unknown)}: expected env, service, state, limit or cursor`,
    );
  }
  const value = (key: string): string | undefined => {
    const values = url.searchParams.getAll(key);
    if (values.length > 1 || values[0] === "") {
      throw new HttpError(400, "invalid_request", `${key} must be given once, with a value`);
    }
    return values[0];
  };
  const state = value("state");
  if (state !== undefined && !JOB_STATES.includes(state as JobState)) {
    throw new HttpError(
      400,
      "invalid_request",
      `state must be one of ${JOB_STATES.join(", ")}, received ${JSON.stringify(state)}`,
    );
  }
  const limitText = value("limit") ?? "20";
  const limit = /^\d{1,3}$/.test(limitText) ? Number(limitText) : Number.NaN;
  if (!(limit >= 1 && limit <= 100)) {
    throw new HttpError(
      400,
      "invalid_request",
      `limit must be an integer from 1 to 100, received ${JSON.stringify(limitText)}`,
    );
  }
  return {
    env: value("env"),
    service: value("service"),
    state: state as JobState | undefined,
    limit,
    cursor: value("cursor"),
  };
}

/** `GET /deployments?env=&service=&state=&limit=&cursor=`: job history, newest first; needs `IAC_API_TOKEN`. */
export const handleDeployments: RouteHandler = async (request, context) => {
  const url = new URL(request.url);
  requireApiToken(request, context.settings.apiToken, url.pathname);
  const query = readQuery(url);
  try {
    return jsonResponse(200, await context.engine.list(query));
  } catch (error) {
    if (error instanceof TypeError && query.cursor !== undefined) {
      throw new HttpError(400, "invalid_request", "cursor is not one this runner gave out");
    }
    throw error;
  }
};
