import type pg from "pg";
import type { CancelOutcome, JobState } from "../types.js";
import { dequeuedResult } from "./dequeued-result.js";
import { findPostgresJob } from "./find-postgres-job.js";
import { isTerminalState } from "./is-terminal-state.js";
import { type CancelFlag, mergeCancelFlag } from "./merge-cancel-flag.js";
import { settlePostgresJob } from "./settle-postgres-job.js";

/** Cancels queued services and flags running ones (see `JobStore.cancelJob`); undefined for an unknown job. */
export async function cancelPostgresJob(
  client: pg.PoolClient,
  id: string,
  force: boolean,
  now: number,
): Promise<CancelOutcome | undefined> {
  const locked = await client.query<{ seq: string; env: string; commit_sha: string; state: JobState }>(
    "SELECT seq, env, commit_sha, state FROM jobs WHERE id = $1 FOR UPDATE",
    [id],
  );
  const job = locked.rows[0];
  if (job === undefined) {
    return undefined;
  }
  const dequeued: string[] = [];
  const stopping: string[] = [];
  if (!isTerminalState(job.state)) {
    const open = await client.query<{ position: number; service: string; state: string; cancel: CancelFlag | null }>(
      `SELECT position, service, state, cancel FROM job_services
       WHERE job_seq = $1 AND state IN ('queued', 'running') ORDER BY position FOR UPDATE`,
      [job.seq],
    );
    for (const service of open.rows) {
      if (service.state === "queued") {
        await client.query(
          "UPDATE job_services SET state = 'cancelled', result = $3::jsonb WHERE job_seq = $1 AND position = $2",
          [job.seq, service.position, JSON.stringify(dequeuedResult(service.service, job.env, job.commit_sha))],
        );
        dequeued.push(service.service);
      } else {
        await client.query("UPDATE job_services SET cancel = $3 WHERE job_seq = $1 AND position = $2", [
          job.seq,
          service.position,
          mergeCancelFlag(service.cancel, force),
        ]);
        stopping.push(service.service);
      }
    }
    await settlePostgresJob(client, job.seq, now);
  }
  const outcome = await findPostgresJob(client, id);
  return outcome === undefined ? undefined : { job: outcome, dequeued, stopping };
}
