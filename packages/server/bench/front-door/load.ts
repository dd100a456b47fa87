import autocannon from "autocannon";

export interface LoadRequest {
  method: "POST" | "GET";
  path: string;
  headers: Record<string, string>;
  body?: string | undefined;
}

export interface LoadResult {
  /** Answered requests per second. */
  throughput: number;
  p99Ms: number;
  /** Connection errors and timeouts (a sound run has none). */
  errors: number;
  statuses: { "2xx": number; "4xx": number; "5xx": number };
}

/** Sends `request` over `connections` keep-alive connections as fast as the server answers, for `seconds`. */
export async function load(
  port: number,
  request: LoadRequest,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${request.path}`,
    connections,
    duration: seconds,
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return {
    throughput: result.requests.total / seconds,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    statuses: { "2xx": result["2xx"], "4xx": result["4xx"], "5xx": result["5xx"] },
  };
}
