import type { GithubReporterOptions, SyncJob } from "../../types.js";
import { createGithubClient } from "./create-github-client.js";

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
  const { octokit, owner, repo, path, logger, call } = createGithubClient(options);

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
