import type { JobPage, JobQuery } from "../types.js";
import { checkJobQuery } from "./check-job-query.js";
import { encodePageCursor } from "./encode-page-cursor.js";
import type { Queryable } from "./find-postgres-job.js";
import { readPostgresJson } from "./read-postgres-json.js";
import { JOB_COLUMNS, type JobRow, SERVICE_COLUMNS, type ServiceRow } from "./store-rows.js";
import { toSyncJobs } from "./to-sync-jobs.js";

/** One page of jobs from PostgreSQL, newest first (see `JobStore.listJobs`). */
export async function listPostgresJobs(db: Queryable, query: JobQuery): Promise<JobPage> {
  const checked = checkJobQuery(query);
  // One row more than asked tells whether another page exists.
  const { rows } = await db.query<JobRow>(
    `SELECT ${JOB_COLUMNS} FROM jobs j
     WHERE ($1::text IS NULL OR j.env = $1)
       AND ($2::text IS NULL OR j.state = $2)
       AND ($3::bigint IS NULL OR j.seq < $3)
       AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM job_services s WHERE s.job_seq = j.seq AND s.service = $4))
     ORDER BY j.seq DESC
     LIMIT $5`,
    [checked.env, checked.state, checked.beforeSeq, checked.service, checked.limit + 1],
  );
  const jobs = rows.slice(0, checked.limit);
  const services = await db.query<ServiceRow>(
    `SELECT ${SERVICE_COLUMNS} FROM job_services WHERE job_seq = ANY($1::bigint[]) ORDER BY job_seq, position`,
    [jobs.map((row) => row.seq)],
  );
  const last = jobs.at(-1);
  return {
    jobs: toSyncJobs(jobs, services.rows, readPostgresJson),
    nextCursor: rows.length > checked.limit && last !== undefined ? encodePageCursor(Number(last.seq)) : null,
  };
}
