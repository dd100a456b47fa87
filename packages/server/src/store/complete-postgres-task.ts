import type pg from "pg";
import type { SyncResult } from "../types.js";
import type { CompletionState } from "./check-completion-state.js";
import { lockPostgresJob } from "./lock-postgres-job.js";
import { settlePostgresJob } from "./settle-postgres-job.js";

/** Identifies a service and the runner that must hold it. */
export interface HeldService {
  jobId: string;
  service: string;
  runnerId: string;
}

/** Ends a running service held by the runner (see `JobStore.completeTask`); false when it is not held. */
export async function completePostgresTask(
  client: pg.PoolClient,
  held: HeldService,
  state: CompletionState,
  result: SyncResult,
  now: number,
): Promise<boolean> {
  const seq = await lockPostgresJob(client, held.jobId);
  if (seq === undefined) {
    return false;
  }
  const updated = await client.query(
    `UPDATE job_services SET state = $4, result = $5::jsonb, marker = NULL, runner_id = NULL, lease_until = NULL,
       cancel = NULL
     WHERE job_seq = $1 AND service = $2 AND state = 'running' AND runner_id = $3`,
    [seq, held.service, held.runnerId, state, JSON.stringify(result)],
  );
  if (updated.rowCount === 0) {
    return false;
  }
  await settlePostgresJob(client, seq, now);
  return true;
}
