import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../generated/dokploy.js";
import { createResilientFetch } from "../http/create-resilient-fetch.js";
import { normalizeBaseUrl } from "../http/normalize-base-url.js";
import type { DokployClient, DokployClientOptions } from "../types.js";

// POST procedures that replace state with what the body says, so sending them twice has the same effect as once.
// Everything else (deploy, create, delete, ...) is never retried automatically.
const IDEMPOTENT_POSTS: ReadonlySet<string> = new Set([
  "compose.saveEnvironment",
  "compose.update",
  "application.saveEnvironment",
  "application.update",
  "environment.update",
  "project.update",
  "mounts.update",
]);

function canRetry(request: Request): boolean {
  if (request.method === "GET") {
    return true;
  }
  const procedure = new URL(request.url).pathname.split("/").pop() ?? "";
  return request.method === "POST" && IDEMPOTENT_POSTS.has(procedure);
}

/**
 * Creates a typed client for the Dokploy REST API. Calls return openapi-fetch's `{ data, error, response }` and
 * throw only on network failure or timeout. Reads and idempotent writes are retried on network errors and
 * 502/503/504; `compose.deploy` and other non-idempotent mutations never are.
 *
 * @example
 * const dokploy = createDokployClient({ baseUrl: "https://dokploy.example.com", apiKey: process.env.DOKPLOY_API_KEY });
 * const { data, error, response } = await dokploy.GET("/compose.one", { params: { query: { composeId } } });
 * if (error !== undefined) throw new Error(classifyDokployError(error, response).message);
 * console.log(data.composeStatus);
 * await dokploy.POST("/compose.deploy", { body: { composeId } });
 */
export function createDokployClient(options: DokployClientOptions): DokployClient {
  const { apiKey } = options;
  if (typeof apiKey !== "string" || apiKey.trim() === "") {
    throw new TypeError(`[@iac/sdk] invalid apiKey: expected a non-empty string, received ${JSON.stringify(apiKey)}`);
  }
  const client = createClient<paths>({
    baseUrl: normalizeBaseUrl("baseUrl", options.baseUrl, "/api"),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
    fetch: createResilientFetch({ fetch: options.fetch, timeoutMs: options.timeoutMs, retry: options.retry, canRetry }),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      request.headers.set("x-api-key", apiKey);
      // Dokploy answers 415 to a POST without a JSON content type, even when the body is empty.
      if (request.method === "POST" && !request.headers.has("content-type")) {
        request.headers.set("content-type", "application/json");
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}
