import type { PlanReason } from "@iac/sync";
import type { JobState, JobTrigger, SyncJob, SyncResult } from "../types.js";
import type { JobRow, ReadJson, ServiceRow } from "./store-rows.js";

/** The public form of a job row and its service rows (in service order). */
export function toSyncJob(job: JobRow, services: readonly ServiceRow[], readJson: ReadJson): SyncJob {
  return {
    id: job.id,
    env: job.env,
    commit: job.commit_sha,
    trigger: job.trigger as JobTrigger,
    state: job.state as JobState,
    delivery: job.delivery,
    triggeredBy: job.triggered_by,
    tag: job.tag,
    ref: job.ref,
    promotedFrom: job.promoted_from,
    rollbackOf: job.rollback_of,
    services: services.map((row) => ({
      service: row.service,
      state: row.state as JobState,
      reason: readJson(row.reason) as PlanReason,
      attempts: Number(row.attempts),
      result: row.result === null ? null : (readJson(row.result) as SyncResult),
    })),
    createdAt: job.created_at,
    finishedAt: job.finished_at === null ? null : new Date(Number(job.finished_at)).toISOString(),
  };
}
