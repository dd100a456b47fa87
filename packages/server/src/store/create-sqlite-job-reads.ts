import type Database from "better-sqlite3";
import type { JobPage, JobQuery, LastSuccessfulSync, SyncJob } from "../types.js";
import { checkJobQuery } from "./check-job-query.js";
import { encodePageCursor } from "./encode-page-cursor.js";
import { readSqliteJson } from "./read-sqlite-json.js";
import { JOB_COLUMNS, type JobRow, SERVICE_COLUMNS, type ServiceRow } from "./store-rows.js";
import { LAST_SUCCESS_COLUMNS, type LastSuccessRow, toLastSuccessfulSync } from "./to-last-successful-sync.js";
import { toSyncJob } from "./to-sync-job.js";
import { toSyncJobs } from "./to-sync-jobs.js";

/** Reads of jobs from a SQLite store. */
export interface SqliteJobReads {
  byId(id: string): SyncJob | undefined;
  bySeq(seq: number): SyncJob | undefined;
  list(query: JobQuery): JobPage;
  byKey(key: string, now: number): SyncJob | undefined;
  lastSuccess(env: string, service: string): LastSuccessfulSync | undefined;
}

interface ListParams {
  env: string | null;
  service: string | null;
  state: string | null;
  beforeSeq: number | null;
  limit: number;
}

/** Prepares the job reads of a SQLite store (synchronous, like better-sqlite3). */
export function createSqliteJobReads(db: Database.Database): SqliteJobReads {
  const jobById = db.prepare<[string], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = ?`);
  const jobBySeq = db.prepare<[number], JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.seq = ?`);
  const servicesOf = db.prepare<[number], ServiceRow>(
    `SELECT ${SERVICE_COLUMNS} FROM job_services WHERE job_seq = ? ORDER BY position`,
  );
  const servicesOfMany = db.prepare<[string], ServiceRow>(
    `SELECT ${SERVICE_COLUMNS} FROM job_services WHERE job_seq IN (SELECT value FROM json_each(?)) ORDER BY job_seq, position`,
  );
  // A live request key is preferred when a key is in both tables.
  const jobIdByKey = db.prepare<[string, number, string], { job_id: string }>(
    `SELECT job_id FROM (
       SELECT job_id, 0 AS rank FROM request_keys WHERE key = ? AND expires_at > ?
       UNION ALL SELECT job_id, 1 AS rank FROM delivery_keys WHERE key = ?
     ) ORDER BY rank LIMIT 1`,
  );
  const lastSuccess = db.prepare<[string, string], LastSuccessRow>(
    `SELECT ${LAST_SUCCESS_COLUMNS} FROM job_services s JOIN jobs j ON j.seq = s.job_seq
     WHERE s.env = ? AND s.service = ? AND s.state = 'succeeded'
     ORDER BY s.job_seq DESC LIMIT 1`,
  );
  const page = db.prepare<[ListParams], JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs j
     WHERE (@env IS NULL OR j.env = @env)
       AND (@state IS NULL OR j.state = @state)
       AND (@beforeSeq IS NULL OR j.seq < @beforeSeq)
       AND (@service IS NULL OR EXISTS (SELECT 1 FROM job_services s WHERE s.job_seq = j.seq AND s.service = @service))
     ORDER BY j.seq DESC
     LIMIT @limit`,
  );

  const withServices = (row: JobRow | undefined): SyncJob | undefined =>
    row === undefined ? undefined : toSyncJob(row, servicesOf.all(Number(row.seq)), readSqliteJson);

  return {
    byId: (id) => withServices(jobById.get(id)),
    bySeq: (seq) => withServices(jobBySeq.get(seq)),
    byKey(key, now) {
      const hit = jobIdByKey.get(key, now, key);
      return hit === undefined ? undefined : withServices(jobById.get(hit.job_id));
    },
    lastSuccess(env, service) {
      const row = lastSuccess.get(env, service);
      return row === undefined ? undefined : toLastSuccessfulSync(row, readSqliteJson);
    },
    list(query) {
      const checked = checkJobQuery(query);
      // One row more than asked tells whether another page exists.
      const rows = page.all({ ...checked, limit: checked.limit + 1 });
      const jobs = rows.slice(0, checked.limit);
      const services = servicesOfMany.all(JSON.stringify(jobs.map((row) => Number(row.seq))));
      const last = jobs.at(-1);
      return {
        jobs: toSyncJobs(jobs, services, readSqliteJson),
        nextCursor: rows.length > checked.limit && last !== undefined ? encodePageCursor(Number(last.seq)) : null,
      };
    },
  };
}
