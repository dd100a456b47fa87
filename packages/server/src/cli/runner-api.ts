import { signRequest } from "@iac/sync";
import type { DriftReport, JobPage, JobState, SyncJob } from "../types.js";
import { causeChain } from "./cause-chain.js";
import { CliError } from "./cli-error.js";
import { describeFetchFailure } from "./describe-fetch-failure.js";
import { RunnerApiError } from "./runner-api-error.js";

/** The body of `POST /deploy`, as the CLI sends it (never `wait`: the CLI follows the job itself). */
export interface DeployRequest {
  env: string;
  tag?: string | undefined;
  ref?: string | undefined;
  triggered_by?: string | undefined;
  services?: readonly string[] | undefined;
}

/** The answer of `POST /deploy`: `accepted`, `duplicate` (a job in flight answered it) or `no_changes`. */
export interface DeployAnswer {
  [key: string]: unknown;
  status: string;
  env?: string | undefined;
  tag?: string | undefined;
  ref?: string | undefined;
  commit?: string | undefined;
  services: string[];
  deployments: string[];
}

/** Filters of `GET /deployments`. */
export interface HistoryQuery {
  env?: string | undefined;
  service?: string | undefined;
  state?: JobState | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/** What `GET /health` answered, whatever the status. */
export interface HealthAnswer {
  status: number;
  body: unknown;
}

/** Options of {@link createRunnerApi}. */
export interface RunnerApiOptions {
  /** The runner's base URL without a trailing slash. */
  baseUrl: string;
  /** `IAC_API_TOKEN`: sent as bearer token when set (history needs it; deployments show error texts with it). */
  apiToken?: string | undefined;
  /** `WEBHOOK_SECRET`: signs `/deploy` with the timestamped signature. */
  webhookSecret?: string | undefined;
  /** Upper bound of each request (default 30 s). */
  requestTimeoutMs?: number | undefined;
  /** Aborts every request (SIGINT). */
  signal?: AbortSignal | undefined;
  fetch?: typeof fetch | undefined;
}

/** A client of a running runner's HTTP API, for the CLI. */
export interface RunnerApi {
  readonly baseUrl: string;
  deploy(request: DeployRequest): Promise<DeployAnswer>;
  deployment(id: string): Promise<SyncJob>;
  deployments(query: HistoryQuery): Promise<JobPage>;
  /** `GET /drift` (needs the API token). */
  drift(): Promise<DriftReport>;
  health(): Promise<HealthAnswer>;
}

const isJob = (value: unknown): value is SyncJob =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as SyncJob).id === "string" &&
  typeof (value as SyncJob).state === "string" &&
  Array.isArray((value as SyncJob).services);

/**
 * Creates a client of the runner's API. Every method rejects with a {@link RunnerApiError} for an HTTP error
 * answer and with a {@link CliError} naming the URL when no answer came (refused, unknown host, timeout).
 */
export function createRunnerApi(options: RunnerApiOptions): RunnerApi {
  const { baseUrl } = options;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;

  async function send(
    method: "GET" | "POST",
    path: string,
    init: { body?: string | undefined; headers?: Record<string, string> | undefined; anyStatus?: boolean } = {},
  ): Promise<{ status: number; body: unknown; url: string }> {
    const url = `${baseUrl}${path}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([options.signal, timeout]);
    // Reads only carry the token: the signed POST needs none, and a token should travel no further than it must.
    const bearer =
      options.apiToken !== undefined && method === "GET" ? { authorization: `Bearer ${options.apiToken}` } : {};
    const headers: Record<string, string> = { accept: "application/json", ...init.headers, ...bearer };
    let response: Response;
    let text: string;
    try {
      response = await (options.fetch ?? globalThis.fetch)(url, { method, headers, body: init.body ?? null, signal });
      text = await response.text();
    } catch (error) {
      throw new CliError(`cannot reach ${url}: ${describeFetchFailure(error, timeoutMs)}`, {
        details: causeChain(error),
        json: { error: `cannot reach ${url}`, reason: describeFetchFailure(error, timeoutMs) },
      });
    }
    let body: unknown;
    try {
      body = text === "" ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!init.anyStatus && (response.status < 200 || response.status >= 300)) {
      throw new RunnerApiError(`${method} ${url}`, response.status, body, text);
    }
    return { status: response.status, body, url };
  }

  const unexpected = (url: string, what: string): CliError =>
    new CliError(`unexpected answer from ${url}: expected ${what} (is --url the runner?)`);

  return {
    baseUrl,
    async deploy(request) {
      if (options.webhookSecret === undefined) {
        throw new CliError("WEBHOOK_SECRET is not set; export the runner's webhook secret to sign the request");
      }
      const body = JSON.stringify(request);
      const signed = await signRequest({ secret: options.webhookSecret, body });
      const answer = await send("POST", "/deploy", {
        body,
        headers: { "content-type": "application/json", ...signed },
      });
      const value = answer.body as Partial<DeployAnswer> | undefined;
      if (typeof value?.status !== "string" || !Array.isArray(value.deployments)) {
        throw unexpected(answer.url, "a deploy answer with deployments");
      }
      return { ...value, status: value.status, deployments: value.deployments, services: value.services ?? [] };
    },
    async deployment(id) {
      const answer = await send("GET", `/deployments/${encodeURIComponent(id)}`);
      if (!isJob(answer.body)) {
        throw unexpected(answer.url, "a deployment");
      }
      return answer.body;
    },
    async deployments(query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value !== undefined) {
          params.set(key, String(value));
        }
      }
      const search = params.size === 0 ? "" : `?${params}`;
      const answer = await send("GET", `/deployments${search}`);
      const page = answer.body as Partial<JobPage> | undefined;
      if (!Array.isArray(page?.jobs) || !page.jobs.every(isJob)) {
        throw unexpected(answer.url, "a page of deployments");
      }
      return { jobs: page.jobs, nextCursor: typeof page.nextCursor === "string" ? page.nextCursor : null };
    },
    async drift() {
      const answer = await send("GET", "/drift");
      const report = answer.body as Partial<DriftReport> | undefined;
      if (typeof report?.env !== "string" || !Array.isArray(report.services) || !Array.isArray(report.corrections)) {
        throw unexpected(answer.url, "a drift report");
      }
      // Runners older than per-environment drift detection answer without `environments`.
      return { ...report, environments: Array.isArray(report.environments) ? report.environments : [] } as DriftReport;
    },
    async health() {
      const answer = await send("GET", "/health", { anyStatus: true });
      return { status: answer.status, body: answer.body };
    },
  };
}
