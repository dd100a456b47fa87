import { requireApiToken } from "../auth/api-token.js";
import type { RouteHandler } from "../runner-context.js";

/** `GET /metrics`: the Prometheus text exposition of this runner; needs `IAC_API_TOKEN` like `GET /deployments`. */
export const handleMetrics: RouteHandler = async (request, context) => {
  requireApiToken(request, context.settings.apiToken, new URL(request.url).pathname);
  return new Response(await context.metrics.expose(), {
    status: 200,
    headers: { "content-type": context.metrics.contentType, "cache-control": "no-store" },
  });
};
