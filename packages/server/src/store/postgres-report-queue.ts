import type pg from "pg";
import type { ClaimedReport, ReportOutcome } from "../types.js";
import { findPostgresJob } from "./find-postgres-job.js";
import { readPostgresJson } from "./read-postgres-json.js";
import { dueReportCondition, REPORT_COLUMNS, type ReportRow } from "./report-queries.js";
import { toClaimedReport } from "./to-claimed-report.js";

/**
 * Claims the oldest job whose reports are due (see `JobStore.claimReport`) in the caller's transaction. `SKIP
 * LOCKED`: runners claiming at once take different jobs and never wait on one another or on a job being settled.
 */
export async function claimPostgresReport(
  client: pg.PoolClient,
  holder: string,
  now: number,
  leaseMs: number,
): Promise<ClaimedReport | undefined> {
  const marked = await client.query<ReportRow>(
    `UPDATE jobs SET report_holder = $1, report_lease_until = $2
     WHERE seq = (SELECT seq FROM jobs WHERE ${dueReportCondition("$3")} ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING ${REPORT_COLUMNS}`,
    [holder, now + leaseMs, now],
  );
  const row = marked.rows[0];
  if (row === undefined) {
    return undefined;
  }
  const job = await findPostgresJob(client, row.id);
  return job === undefined ? undefined : toClaimedReport(row, job, readPostgresJson);
}

/** Records a claimed job's report outcome and releases it (see `JobStore.saveReport`). */
export async function savePostgresReport(
  pool: pg.Pool,
  jobId: string,
  holder: string,
  outcome: ReportOutcome,
): Promise<boolean> {
  const saved = await pool.query(
    `UPDATE jobs SET report_sent = $3, report_progress = $4::jsonb, report_not_before = $5,
       report_holder = NULL, report_lease_until = NULL
     WHERE id = $1 AND report_holder = $2`,
    [jobId, holder, outcome.sent, JSON.stringify(outcome.progress), outcome.notBefore],
  );
  return (saved.rowCount ?? 0) > 0;
}
