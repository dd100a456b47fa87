import type pg from "pg";
import type { SyncResult } from "../types.js";
import type { HeldService } from "./complete-postgres-task.js";
import { lockPostgresJob } from "./lock-postgres-job.js";
import { settlePostgresJob } from "./settle-postgres-job.js";

/** Requeues a running service held by the runner until `notBefore` (see `JobStore.retryTask`); false when not held. */
export async function retryPostgresTask(
  client: pg.PoolClient,
  held: HeldService,
  notBefore: number,
  result: SyncResult,
  now: number,
): Promise<boolean> {
  const seq = await lockPostgresJob(client, held.jobId);
  if (seq === undefined) {
    return false;
  }
  // The marker stays: the next attempt must settle a deploy this one may have started (unless a newer job of the
  // lane supersedes the retry at its claim: that job's own deploy then comes after it in Dokploy).
  const updated = await client.query(
    `UPDATE job_services SET state = 'queued', not_before = $4, result = $5::jsonb, runner_id = NULL,
       lease_until = NULL
     WHERE job_seq = $1 AND service = $2 AND state = 'running' AND runner_id = $3`,
    [seq, held.service, held.runnerId, notBefore, JSON.stringify(result)],
  );
  if (updated.rowCount === 0) {
    return false;
  }
  await settlePostgresJob(client, seq, now);
  return true;
}
