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

/** Prepares the report queue of a SQLite store; a claim marks and reads in one `BEGIN IMMEDIATE` transaction. */
export function createSqliteReportQueue(db: Database.Database, reads: SqliteJobReads): SqliteReportQueue {
  const mark = db.prepare<[{ holder: string; until: number; now: number }], ReportRow>(
    `UPDATE jobs SET report_holder = @holder, report_lease_until = @until
     WHERE seq = (SELECT seq FROM jobs WHERE ${dueReportCondition("@now")} ORDER BY seq LIMIT 1)
     RETURNING ${REPORT_COLUMNS}`,
  );
  const save = db.prepare<[{ jobId: string; holder: string; sent: string; progress: string; notBefore: number }]>(
    `UPDATE jobs SET report_sent = @sent, report_progress = @progress, report_not_before = @notBefore,
       report_holder = NULL, report_lease_until = NULL
     WHERE id = @jobId AND report_holder = @holder`,
  );

  const claim = db.transaction((holder: string, now: number, leaseMs: number): ClaimedReport | undefined => {
    const row = mark.get({ holder, until: now + leaseMs, now });
    if (row === undefined) {
      return undefined;
    }
    // Read in the same transaction as the claim: the job is there.
    const job = reads.byId(row.id);
    return job === undefined ? undefined : toClaimedReport(row, job, readSqliteJson);
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
