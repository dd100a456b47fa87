import type Database from "better-sqlite3";
import type { CancelOutcome, ClaimedTask, DeployMarker, JobState, LeaseState, SyncResult } from "../types.js";
import { type CompletionState, checkCompletionState } from "./check-completion-state.js";
import type { SqliteJobReads } from "./create-sqlite-job-reads.js";
import type { SqliteSettleJob } from "./create-sqlite-job-settler.js";
import { dequeuedResult } from "./dequeued-result.js";
import { isTerminalState } from "./is-terminal-state.js";
import { type CancelFlag, mergeCancelFlag } from "./merge-cancel-flag.js";
import { readSqliteJson } from "./read-sqlite-json.js";
import { SQLITE_SUPERSEDE_SQL } from "./sqlite-supersede-sql.js";
import { CANDIDATE_COLUMNS, type CandidateRow, type ClaimRow } from "./store-rows.js";
import { supersededResult } from "./superseded-result.js";
import { toClaimedTask } from "./to-claimed-task.js";

/** The task methods of a SQLite store, synchronous. */
export interface SqliteTaskWrites {
  claim(runnerId: string, now: number, leaseMs: number): ClaimedTask | undefined;
  renew(jobId: string, service: string, runnerId: string, now: number, leaseMs: number): LeaseState;
  saveMarker(jobId: string, service: string, runnerId: string, marker: DeployMarker | null): boolean;
  complete(
    jobId: string,
    service: string,
    runnerId: string,
    state: CompletionState,
    result: SyncResult,
    now: number,
  ): boolean;
  retry(jobId: string, service: string, runnerId: string, notBefore: number, result: SyncResult, now: number): boolean;
  cancel(id: string, force: boolean, now: number): CancelOutcome | undefined;
}

// The row of a service addressed by job id and name, while `runnerId` holds it.
const HELD =
  "job_seq = (SELECT seq FROM jobs WHERE id = @jobId) AND service = @service AND state = 'running' AND runner_id = @runnerId";

interface Held {
  jobId: string;
  service: string;
  runnerId: string;
}

/** Prepares the task methods of a SQLite store; writes that read first run in `BEGIN IMMEDIATE` transactions. */
export function createSqliteTaskWrites(
  db: Database.Database,
  reads: SqliteJobReads,
  settle: SqliteSettleJob,
): SqliteTaskWrites {
  // Oldest first; a running row is a candidate only once its lease ran out (its runner died). The lane test skips
  // the candidate's own job (a lane holds one service per job), so an expired running row does not block itself.
  const nextClaimable = db.prepare<[{ now: number }], CandidateRow<number>>(
    `SELECT ${CANDIDATE_COLUMNS}
     FROM job_services s JOIN jobs j ON j.seq = s.job_seq
     WHERE s.state IN ('queued', 'running')
       AND ((s.state = 'queued' AND s.not_before <= @now)
         OR (s.state = 'running' AND (s.lease_until IS NULL OR s.lease_until < @now)))
       AND NOT EXISTS (SELECT 1 FROM job_services o
         WHERE o.env = s.env AND o.service = s.service AND o.state = 'running' AND o.job_seq <> s.job_seq)
     ORDER BY s.job_seq, s.position
     LIMIT 1`,
  );
  const supersede = db.prepare<[string, number, number]>(SQLITE_SUPERSEDE_SQL);
  const markClaimed = db.prepare<[string, number, number, number]>(
    `UPDATE job_services SET state = 'running', runner_id = ?, lease_until = ?, attempts = attempts + 1
     WHERE job_seq = ? AND position = ?`,
  );
  const claimed = db.prepare<[number, number], ClaimRow>(
    `SELECT j.id AS job_id, j.env, j.commit_sha, j.trigger, j.delivery, j.environment, s.definition, s.attempts,
       s.marker, s.cancel
     FROM job_services s JOIN jobs j ON j.seq = s.job_seq
     WHERE s.job_seq = ? AND s.position = ?`,
  );
  const renew = db.prepare<[Held & { leaseUntil: number }], { cancel: CancelFlag | null }>(
    `UPDATE job_services SET lease_until = @leaseUntil WHERE ${HELD} RETURNING cancel`,
  );
  const saveMarker = db.prepare<[Held & { marker: string | null }]>(
    `UPDATE job_services SET marker = @marker WHERE ${HELD}`,
  );
  const complete = db.prepare<[Held & { state: CompletionState; result: string }], { job_seq: number }>(
    `UPDATE job_services SET state = @state, result = @result, marker = NULL, runner_id = NULL, lease_until = NULL,
       cancel = NULL
     WHERE ${HELD} RETURNING job_seq`,
  );
  // The marker stays: the next attempt must settle a deploy this one may have started (unless a newer job of the
  // lane supersedes the retry at its claim: that job's own deploy then comes after it in Dokploy).
  const retry = db.prepare<[Held & { notBefore: number; result: string }], { job_seq: number }>(
    `UPDATE job_services SET state = 'queued', not_before = @notBefore, result = @result, runner_id = NULL,
       lease_until = NULL
     WHERE ${HELD} RETURNING job_seq`,
  );
  const jobToCancel = db.prepare<[string], { seq: number; env: string; commit_sha: string; state: JobState }>(
    "SELECT seq, env, commit_sha, state FROM jobs WHERE id = ?",
  );
  const openServices = db.prepare<
    [number],
    { position: number; service: string; state: string; cancel: CancelFlag | null }
  >(
    "SELECT position, service, state, cancel FROM job_services WHERE job_seq = ? AND state IN ('queued', 'running') ORDER BY position",
  );
  const dequeue = db.prepare<[string, number, number]>(
    "UPDATE job_services SET state = 'cancelled', result = ? WHERE job_seq = ? AND position = ?",
  );
  const flag = db.prepare<[CancelFlag, number, number]>(
    "UPDATE job_services SET cancel = ? WHERE job_seq = ? AND position = ?",
  );

  const claimTx = db.transaction((runnerId: string, now: number, leaseMs: number): ClaimedTask | undefined => {
    for (let next = nextClaimable.get({ now }); next !== undefined; next = nextClaimable.get({ now })) {
      if (next.newer !== null) {
        supersede.run(
          JSON.stringify(supersededResult(next.service, next.env, next.commit_sha, next.newer)),
          next.job_seq,
          next.position,
        );
        settle(next.job_seq, now);
        continue;
      }
      markClaimed.run(runnerId, now + leaseMs, next.job_seq, next.position);
      settle(next.job_seq, now);
      const row = claimed.get(next.job_seq, next.position);
      return row === undefined ? undefined : toClaimedTask(row, readSqliteJson);
    }
    return undefined;
  });

  const completeTx = db.transaction((held: Held, state: CompletionState, result: SyncResult, now: number): boolean => {
    const row = complete.get({ ...held, state, result: JSON.stringify(result) });
    if (row !== undefined) {
      settle(row.job_seq, now);
    }
    return row !== undefined;
  });

  const retryTx = db.transaction((held: Held, notBefore: number, result: SyncResult, now: number): boolean => {
    const row = retry.get({ ...held, notBefore, result: JSON.stringify(result) });
    if (row !== undefined) {
      settle(row.job_seq, now);
    }
    return row !== undefined;
  });

  const cancelTx = db.transaction((id: string, force: boolean, now: number): CancelOutcome | undefined => {
    const job = jobToCancel.get(id);
    if (job === undefined) {
      return undefined;
    }
    const dequeued: string[] = [];
    const stopping: string[] = [];
    if (!isTerminalState(job.state)) {
      for (const service of openServices.all(job.seq)) {
        if (service.state === "queued") {
          dequeue.run(
            JSON.stringify(dequeuedResult(service.service, job.env, job.commit_sha)),
            job.seq,
            service.position,
          );
          dequeued.push(service.service);
        } else {
          flag.run(mergeCancelFlag(service.cancel, force), job.seq, service.position);
          stopping.push(service.service);
        }
      }
      settle(job.seq, now);
    }
    const outcome = reads.bySeq(job.seq);
    return outcome === undefined ? undefined : { job: outcome, dequeued, stopping };
  });

  return {
    claim: (runnerId, now, leaseMs) => claimTx.immediate(runnerId, now, leaseMs),
    renew(jobId, service, runnerId, now, leaseMs) {
      const row = renew.get({ jobId, service, runnerId, leaseUntil: now + leaseMs });
      return row === undefined ? "lost" : (row.cancel ?? "held");
    },
    saveMarker: (jobId, service, runnerId, marker) =>
      saveMarker.run({ jobId, service, runnerId, marker: marker === null ? null : JSON.stringify(marker) }).changes > 0,
    complete: (jobId, service, runnerId, state, result, now) =>
      completeTx.immediate({ jobId, service, runnerId }, checkCompletionState(state), result, now),
    retry: (jobId, service, runnerId, notBefore, result, now) =>
      retryTx.immediate({ jobId, service, runnerId }, notBefore, result, now),
    cancel: (id, force, now) => cancelTx.immediate(id, force, now),
  };
}
