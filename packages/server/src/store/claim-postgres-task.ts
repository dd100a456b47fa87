import type pg from "pg";
import type { ClaimedTask } from "../types.js";
import { readPostgresJson } from "./read-postgres-json.js";
import { settlePostgresJob } from "./settle-postgres-job.js";
import { CANDIDATE_COLUMNS, type CandidateRow, type ClaimRow } from "./store-rows.js";
import { supersedePostgresServices } from "./supersede-postgres-services.js";
import { toClaimedTask } from "./to-claimed-task.js";

/**
 * Claims the oldest runnable service (see `JobStore.claimTask`) in the caller's transaction. The candidate is locked
 * `FOR UPDATE SKIP LOCKED` together with its job's row, so claimers never wait on each other or on a writer (and
 * so take no part in a deadlock). Two claimers that still pick two services of one lane at once collide on the
 * lane's unique index; the loser's transaction is retried by the caller.
 */
export async function claimPostgresTask(
  client: pg.PoolClient,
  runnerId: string,
  now: number,
  leaseMs: number,
): Promise<ClaimedTask | undefined> {
  // A running row is a candidate once its lease ran out (its runner died). The lane test skips the candidate's own
  // job, since a lane holds one service per job. A queued candidate with a `newer` job gives way to it.
  for (;;) {
    const next = await client.query<CandidateRow<string>>(
      `SELECT ${CANDIDATE_COLUMNS}
       FROM job_services s JOIN jobs j ON j.seq = s.job_seq
       WHERE s.state IN ('queued', 'running')
         AND ((s.state = 'queued' AND s.not_before <= $1)
           OR (s.state = 'running' AND (s.lease_until IS NULL OR s.lease_until < $1)))
         AND NOT EXISTS (SELECT 1 FROM job_services o
           WHERE o.env = s.env AND o.service = s.service AND o.state = 'running' AND o.job_seq <> s.job_seq)
       ORDER BY s.job_seq, s.position
       LIMIT 1
       FOR UPDATE OF s, j SKIP LOCKED`,
      [now],
    );
    const candidate = next.rows[0];
    if (candidate === undefined) {
      return undefined;
    }
    if (candidate.newer === null) {
      return markClaimed(client, candidate, runnerId, now, leaseMs);
    }
    await supersedePostgresServices(client, [{ ...candidate, supersededBy: candidate.newer }]);
    await settlePostgresJob(client, candidate.job_seq, now);
  }
}

async function markClaimed(
  client: pg.PoolClient,
  candidate: CandidateRow<string>,
  runnerId: string,
  now: number,
  leaseMs: number,
): Promise<ClaimedTask | undefined> {
  await client.query(
    `UPDATE job_services SET state = 'running', runner_id = $3, lease_until = $4, attempts = attempts + 1
     WHERE job_seq = $1 AND position = $2`,
    [candidate.job_seq, candidate.position, runnerId, now + leaseMs],
  );
  await settlePostgresJob(client, candidate.job_seq, now);
  const claimed = await client.query<ClaimRow>(
    `SELECT j.id AS job_id, j.env, j.commit_sha, j.trigger, j.delivery, j.environment, s.definition, s.attempts,
       s.marker, s.cancel
     FROM job_services s JOIN jobs j ON j.seq = s.job_seq
     WHERE s.job_seq = $1 AND s.position = $2`,
    [candidate.job_seq, candidate.position],
  );
  const row = claimed.rows[0];
  return row === undefined ? undefined : toClaimedTask(row, readPostgresJson);
}
