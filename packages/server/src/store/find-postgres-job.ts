import type pg from "pg";
import type { SyncJob } from "../types.js";
import { readPostgresJson } from "./read-postgres-json.js";
import { JOB_COLUMNS, type JobRow, SERVICE_COLUMNS, type ServiceRow } from "./store-rows.js";
import { toSyncJob } from "./to-sync-job.js";

/** A pool, or one of its connections inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient;

/** A job by id with its services, from PostgreSQL; undefined when unknown. */
export async function findPostgresJob(db: Queryable, id: string): Promise<SyncJob | undefined> {
  const job = await db.query<JobRow>(`SELECT ${JOB_COLUMNS} FROM jobs j WHERE j.id = $1`, [id]);
  const row = job.rows[0];
  if (row === undefined) {
    return undefined;
  }
  const services = await db.query<ServiceRow>(
    `SELECT ${SERVICE_COLUMNS} FROM job_services WHERE job_seq = $1 ORDER BY position`,
    [row.seq],
  );
  return toSyncJob(row, services.rows, readPostgresJson);
}
