import { Octokit } from "@octokit/core";
import { noopLogger } from "../../logging/noop-logger.js";
import type { GithubReporterOptions, SyncJob } from "../../types.js";
import { version } from "../../version.js";
import { toReportError } from "./github-failure.js";

/** The REST API version every request asks for. https://docs.github.com/en/rest/about-the-rest-api/api-versions */
const API_VERSION = "2022-11-28";
const DEFAULT_TIMEOUT_MS = 30_000;

/** A commit status or a deployment status to write. */
export interface GithubStatus<State extends string> {
  state: State;
  description: string;
  /** The job's record on the runner, when its public URL is known. */
  link: string | undefined;
}

/**
 * The four GitHub calls a job's report is made of. Each rejects as `toReportError` says: a `ReportRefused` when
 * GitHub refuses the request itself, a plain error when it may work later.
 */
export interface GithubApi {
  setCommitStatus(job: SyncJob, status: GithubStatus<"pending" | "success" | "failure" | "error">): Promise<void>;
  /** The deployment made earlier for `job` (its payload names the job); undefined when there is none. */
  findDeployment(job: SyncJob): Promise<number | undefined>;
  createDeployment(job: SyncJob, description: string): Promise<number>;
  setDeploymentStatus(
    id: number,
    status: GithubStatus<"in_progress" | "success" | "failure" | "error" | "inactive">,
  ): Promise<void>;
}

/** The job a deployment's payload names; GitHub may hand the payload back as a JSON string. */
function jobOfPayload(payload: unknown): unknown {
  if (typeof payload === "string") {
    try {
      return jobOfPayload(JSON.parse(payload));
    } catch {
      return undefined;
    }
  }
  return typeof payload === "object" && payload !== null ? (payload as { job?: unknown }).job : undefined;
}

/** The GitHub calls of one repository over Octokit, each bounded by the request timeout. */
export function createGithubApi(options: GithubReporterOptions): GithubApi {
  const [owner = "", repo = ""] = options.repository.split("/");
  const logger = options.logger ?? noopLogger;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.apiUrl ?? "https://api.github.com").replace(/\/+$/, ""),
    userAgent: `iac-runner/${version}`,
    request: {
      fetch: options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)),
    },
    log: {
      debug: (message: string) => logger.debug({}, message),
      info: (message: string) => logger.info({}, message),
      warn: (message: string) => logger.warn({}, message),
      error: (message: string) => logger.error({}, message),
    },
  });
  octokit.hook.before("request", (request) => {
    request.headers["x-github-api-version"] = API_VERSION;
  });
  const call = async <T>(request: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    try {
      return await send(AbortSignal.timeout(timeoutMs));
    } catch (error) {
      throw toReportError(error, request, options.repository);
    }
  };
  const path = `/repos/${owner}/${repo}`;

  return {
    async setCommitStatus(job, status) {
      await call(`POST ${path}/statuses/${job.commit}`, (signal) =>
        octokit.request("POST /repos/{owner}/{repo}/statuses/{sha}", {
          owner,
          repo,
          sha: job.commit,
          state: status.state,
          context: `iac-runner/${job.env}`,
          description: status.description,
          ...(status.link === undefined ? {} : { target_url: status.link }),
          request: { signal },
        }),
      );
    },

    async findDeployment(job) {
      const { data } = await call(`GET ${path}/deployments`, (signal) =>
        octokit.request("GET /repos/{owner}/{repo}/deployments", {
          owner,
          repo,
          sha: job.commit,
          environment: job.env,
          per_page: 100,
          request: { signal },
        }),
      );
      const found = data.find((deployment) => jobOfPayload(deployment.payload) === job.id);
      return found === undefined ? undefined : Number(found.id);
    },

    async createDeployment(job, description) {
      const { data } = await call(`POST ${path}/deployments`, (signal) =>
        octokit.request("POST /repos/{owner}/{repo}/deployments", {
          owner,
          repo,
          ref: job.commit,
          environment: job.env,
          description,
          // The runner deploys exactly this commit: no merge of the default branch, no wait for other checks.
          auto_merge: false,
          required_contexts: [],
          production_environment: job.env === "production",
          payload: {
            job: job.id,
            trigger: job.trigger,
            services: job.services.map((service) => service.service),
            ...(job.rollbackOf === null ? {} : { rollbackOf: job.rollbackOf }),
          },
          request: { signal },
        }),
      );
      // 202 (a merge message instead of a deployment) only answers auto_merge, which is off.
      if (!("id" in data)) {
        throw new Error(`[@iac/server] GitHub made no deployment of ${job.commit}: ${data.message ?? "no reason"}`);
      }
      // Octokit reads ids beyond 2^53 as bigints; deployment ids are far below, and the memo must be JSON.
      const id = Number(data.id);
      logger.info({ deployment: id, job: job.id, env: job.env }, "GitHub deployment created");
      return id;
    },

    async setDeploymentStatus(id, status) {
      await call(`POST ${path}/deployments/${id}/statuses`, (signal) =>
        octokit.request("POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses", {
          owner,
          repo,
          deployment_id: id,
          state: status.state,
          description: status.description,
          ...(status.link === undefined ? {} : { log_url: status.link }),
          request: { signal },
        }),
      );
    },
  };
}
