// Row shapes and column lists shared by both backends: their schemas use the same table and column names, so one mapping turns rows
// into public objects. Integers may arrive as strings (PostgreSQL BIGINT) and JSON columns as text (SQLite) or
// already parsed (PostgreSQL JSONB); `ReadJson` hides the difference.

/** A BIGINT as node-postgres returns it (string) or as better-sqlite3 does (number). */
export type RowInteger = number | string;

/** Turns a JSON column value into its object (SQLite: parse the text; PostgreSQL: already parsed). */
export type ReadJson = (value: unknown) => unknown;

/** The columns of a {@link JobRow}, from `jobs` aliased as `j`. */
export const JOB_COLUMNS =
  "j.seq, j.id, j.env, j.commit_sha, j.trigger, j.state, j.delivery, j.triggered_by, j.tag, j.ref, j.promoted_from, j.rollback_of, j.created_at, j.finished_at";

/** The columns of a {@link ServiceRow}, from `job_services`. */
export const SERVICE_COLUMNS = "job_seq, service, state, attempts, reason, result";

/** A row of `jobs`. */
export interface JobRow {
  seq: RowInteger;
  id: string;
  env: string;
  commit_sha: string;
  trigger: string;
  state: string;
  delivery: string | null;
  triggered_by: string | null;
  tag: string | null;
  ref: string | null;
  promoted_from: string | null;
  rollback_of: string | null;
  created_at: string;
  finished_at: RowInteger | null;
}

/** The public part of a row of `job_services`. */
export interface ServiceRow {
  job_seq: RowInteger;
  service: string;
  state: string;
  attempts: number;
  reason: unknown;
  result: unknown;
}

/** A row of `job_services` joined with its job, as `claimTask` returns it. */
export interface ClaimRow {
  job_id: string;
  env: string;
  commit_sha: string;
  trigger: string;
  delivery: string | null;
  environment: unknown;
  definition: unknown;
  attempts: number;
  marker: unknown;
  cancel: string | null;
}

/**
 * The columns of a {@link CandidateRow}: a service a runner may claim, from `job_services` aliased as `s` and its job
 * as `j`. `newer` is, for a queued service only, the id of the newest later job of its (env, service) lane that was
 * neither cancelled nor superseded: the service gives way to that job instead of running (see `JobStore.claimTask`).
 */
export const CANDIDATE_COLUMNS = `s.job_seq, s.position, s.service, s.env, j.commit_sha,
  CASE WHEN s.state = 'queued' THEN (SELECT nj.id FROM job_services o JOIN jobs nj ON nj.seq = o.job_seq
    WHERE o.env = s.env AND o.service = s.service AND o.job_seq > s.job_seq
      AND o.state NOT IN ('cancelled', 'superseded')
    ORDER BY o.job_seq DESC LIMIT 1) END AS newer`;

/** A service a runner may claim (see {@link CANDIDATE_COLUMNS}); `Seq` is how the backend returns a BIGINT. */
export interface CandidateRow<Seq extends RowInteger = RowInteger> {
  job_seq: Seq;
  position: number;
  service: string;
  env: string;
  commit_sha: string;
  newer: string | null;
}
