import type Database from "better-sqlite3";
import type { ClaimedReport, ReportOutcome } from "../types.js";
import type { SqliteJobReads } from "./create-sqlite-job-reads.js";
import { readSqliteJson } from "./read-sqlite-json.js";
import { dueReportCondition, REPORT_COLUMNS, type ReportRow } from "./report-queries.js";
import { toClaimedReport } from "./to-claimed-report.js";

/** The report queue of a SQLite store, synchronous. */
export interface SqliteReportQueue {
  claim(holder: string, now: number, leaseMs: number): ClaimedReport | undefined;
  save(jobId: string, holder: string, outcome: ReportOutcome): boolean;
}

/** Prepares the report queue of a SQLite store; a claim reads and marks in one `BEGIN IMMEDIATE` transaction. */
export function createSqliteReportQueue(db: Database.Database, reads: SqliteJobReads): SqliteReportQueue {
  const next = db.prepare<[{ now: number }], { seq: number }>(
    `SELECT seq FROM jobs WHERE ${dueReportCondition("@now")} ORDER BY seq LIMIT 1`,
  );
  const mark = db.prepare<[string, number, number], ReportRow>(
    `UPDATE jobs SET report_holder = ?, report_lease_until = ? WHERE seq = ? RETURNING ${REPORT_COLUMNS}`,
  );
  const save = db.prepare<[{ jobId: string; holder: string; sent: string; progress: string; notBefore: number }]>(
    `UPDATE jobs SET report_sent = @sent, report_progress = @progress, report_not_before = @notBefore,
       report_holder = NULL, report_lease_until = NULL
     WHERE id = @jobId AND report_holder = @holder`,
  );

  const claim = db.transaction((holder: string, now: number, leaseMs: number): ClaimedReport | undefined => {
    const due = next.get({ now });
    if (due === undefined) {
      return undefined;
    }
    const row = mark.get(holder, now + leaseMs, due.seq);
    const job = reads.bySeq(due.seq);
    return row === undefined || job === undefined ? undefined : toClaimedReport(row, job, readSqliteJson);
  });

  return {
    claim: (holder, now, leaseMs) => claim.immediate(holder, now, leaseMs),
    save: (jobId, holder, outcome) =>
      save.run({
        jobId,
        holder,
        sent: outcome.sent,
        progress: JSON.stringify(outcome.progress),
        notBefore: outcome.notBefore,
      }).changes > 0,
  };
}
