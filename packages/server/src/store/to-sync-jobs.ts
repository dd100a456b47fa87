import type { SyncJob } from "../types.js";
import type { JobRow, ReadJson, ServiceRow } from "./store-rows.js";
import { toSyncJob } from "./to-sync-job.js";

/** The public form of a page of job rows, given the service rows of all of them ordered by job and position. */
export function toSyncJobs(jobs: readonly JobRow[], services: readonly ServiceRow[], readJson: ReadJson): SyncJob[] {
  const bySeq = new Map<number, ServiceRow[]>();
  for (const row of services) {
    const seq = Number(row.job_seq);
    const list = bySeq.get(seq);
    if (list === undefined) {
      bySeq.set(seq, [row]);
    } else {
      list.push(row);
    }
  }
  return jobs.map((row) => toSyncJob(row, bySeq.get(Number(row.seq)) ?? [], readJson));
}
