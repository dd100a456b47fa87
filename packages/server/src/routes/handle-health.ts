import { jsonResponse } from "../http/json-response.js";
import type { RouteHandler } from "../runner-context.js";

/**
 * `GET /health`: always answers at once from cached checks. `status` is `healthy`, or `degraded` when a dependency
 * failed several checks in a row; the HTTP status stays 200 because restarting the runner would not fix a dependency.
 */
export const handleHealth: RouteHandler = async (_request, context) => {
  const report = context.health.report();
  return jsonResponse(200, {
    status: report.status,
    version: context.version,
    uptime: Math.max(0, Math.floor((context.now() - context.startedAt) / 1000)),
    checks: report.checks,
  });
};
