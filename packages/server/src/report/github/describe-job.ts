import type { JobService, JobState, SyncJob } from "../../types.js";

/** GitHub refuses longer descriptions of commit statuses and deployment statuses (422). */
const MAX_DESCRIPTION = 140;

/** A job state that ends a job. */
export type FinishedState = Exclude<JobState, "queued" | "running">;

/** How a finished job shows on its commit and on its GitHub deployment. */
export const OUTCOMES: Readonly<
  Record<
    FinishedState,
    { commit: "success" | "failure" | "error"; deployment: "success" | "failure" | "error" | "inactive" }
  >
> = {
  succeeded: { commit: "success", deployment: "success" },
  failed: { commit: "failure", deployment: "failure" },
  // A cancelled or superseded job deployed nothing of its own: the commit must not stay pending, nor look failed.
  cancelled: { commit: "error", deployment: "error" },
  superseded: { commit: "error", deployment: "inactive" },
};

/** `text (job <id>)`, `text` cut short with an ellipsis so that the whole fits GitHub's limit. */
function withJobId(text: string, jobId: string): string {
  const suffix = ` (job ${jobId})`;
  const room = MAX_DESCRIPTION - suffix.length;
  const cut = text.length > room ? `${text.slice(0, Math.max(room - 1, 0))}…` : text;
  return `${cut}${suffix}`.slice(0, MAX_DESCRIPTION);
}

function names(services: readonly JobService[]): string {
  return services.map((service) => service.service).join(", ");
}

function inState(job: SyncJob, state: JobState): JobService[] {
  return job.services.filter((service) => service.state === state);
}

function rollbackPrefix(job: SyncJob, done: boolean): string {
  if (job.trigger !== "rollback" || job.rollbackOf === null) {
    return "";
  }
  return `${done ? "rolled back" : "rolling back"} job ${job.rollbackOf}: `;
}

/** The description of the pending commit status and the in-progress deployment status. */
export function describeStart(job: SyncJob): string {
  return withJobId(`${rollbackPrefix(job, false)}deploying ${names(job.services)}`, job.id);
}

function finishedSummary(job: SyncJob, state: FinishedState): string {
  switch (state) {
    case "succeeded":
      return `${rollbackPrefix(job, true)}deployed ${names(inState(job, "succeeded"))}`;
    case "failed": {
      const failed = inState(job, "failed").map(
        (service) => `${service.service} (${service.result?.error?.code ?? "failed"})`,
      );
      const rollback =
        job.trigger === "rollback" && job.rollbackOf !== null ? `rollback of job ${job.rollbackOf} ` : "";
      return `${rollback}failed: ${failed.join(", ")}`;
    }
    case "cancelled":
      return `cancelled: ${names(inState(job, "cancelled"))}`;
    case "superseded": {
      const newer = job.services.find((service) => service.result?.supersededBy !== undefined)?.result?.supersededBy;
      return newer === undefined ? "superseded by a newer job" : `superseded by job ${newer}`;
    }
  }
}

/** The description of the final commit status and deployment status of a job that ended in `state`. */
export function describeFinish(job: SyncJob, state: FinishedState): string {
  return withJobId(finishedSummary(job, state), job.id);
}

function triggerSummary(job: SyncJob): string {
  switch (job.trigger) {
    case "webhook":
      return "push";
    case "catchup":
      return "catch-up with the branch";
    case "sync":
      return "sync request";
    case "reconcile":
      return "drift correction";
    case "rollback":
      return `rollback of job ${job.rollbackOf ?? "unknown"}`;
    case "deploy": {
      const target = job.tag === null ? (job.ref ?? job.commit.slice(0, 12)) : `tag ${job.tag}`;
      return job.promotedFrom === null
        ? `deploy of ${target}`
        : `deploy of ${target}, promoted from ${job.promotedFrom}`;
    }
  }
}

/** The description of a job's GitHub deployment: what triggered it, and by whom when known. */
export function describeDeployment(job: SyncJob): string {
  const by = job.triggeredBy === null ? "" : ` by ${job.triggeredBy}`;
  return withJobId(`${triggerSummary(job)}${by}`, job.id);
}
