import type { FetchLike } from "../../src/types.js";

/** A request as the server would see it. */
export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

/** A `fetch` that records every request and answers with `respond` (which may throw to simulate a network error). */
export function recordFetch(respond: (request: Request, index: number) => Response | Promise<Response>): {
  fetch: FetchLike;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (request) => {
    const index = requests.length;
    requests.push({
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: await request.clone().text(),
    });
    return respond(request, index);
  };
  return { fetch, requests };
}

/** A JSON response. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

/** A `fetch` that never settles and ignores abort signals, like a server that accepted the connection and hung. */
export const hangingFetch: FetchLike = () => new Promise<Response>(() => {});
