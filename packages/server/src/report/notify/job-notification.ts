import type { JobNotification, ServiceNotification, SyncJob } from "../../types.js";

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
 * from it too). `baseUrl` is the runner's public URL without a trailing slash, if any.
 */
export function jobNotification(job: SyncJob, baseUrl: string | undefined): JobNotification {
  return {
    version: 1,
    event: "job.finished",
    job: {
      id: job.id,
      url: baseUrl === undefined ? null : `${baseUrl}/deployments/${encodeURIComponent(job.id)}`,
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
