import type { JobNotification, ServiceNotification, SyncJob } from "../../types.js";
import { deploymentLink } from "../deployment-link.js";

function elapsedMs(from: string, to: string | null): number | null {
  if (to === null) {
    return null;
  }
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms : null;
}

function serviceNotification(entry: SyncJob["services"][number]): ServiceNotification {
  const { result } = entry;
  return {
    service: entry.service,
    state: entry.state,
    status: result?.status ?? null,
    hashBefore: result?.hashBefore ?? null,
    hashAfter: result?.hashAfter ?? null,
    durationMs: result?.durationMs ?? null,
    attempts: entry.attempts,
    error: result?.error === undefined ? null : { code: result.error.code, message: result.error.message },
    supersededBy: result?.supersededBy ?? null,
  };
}

/**
 * What a finished job's notifications say, in the versioned shape `webhook` targets receive (Slack messages are made
 * from it too), linking the job under the runner's public URL when it has one.
 */
export function jobNotification(job: SyncJob, publicUrl: string | undefined): JobNotification {
  return {
    version: 1,
    event: "job.finished",
    job: {
      id: job.id,
      url: deploymentLink(publicUrl, job.id) ?? null,
      env: job.env,
      state: job.state,
      trigger: job.trigger,
      commit: job.commit,
      tag: job.tag,
      ref: job.ref,
      promotedFrom: job.promotedFrom,
      rollbackOf: job.rollbackOf,
      triggeredBy: job.triggeredBy,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
      durationMs: elapsedMs(job.createdAt, job.finishedAt),
    },
    services: job.services.map(serviceNotification),
  };
}
