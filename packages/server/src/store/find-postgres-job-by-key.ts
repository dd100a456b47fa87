import type { SyncJob } from "../types.js";
import { findPostgresJob, type Queryable } from "./find-postgres-job.js";

/** The job a live request key or a delivery key points to, from PostgreSQL (see `JobStore.jobByKey`). */
export async function findPostgresJobByKey(db: Queryable, key: string, now: number): Promise<SyncJob | undefined> {
  // A live request key is preferred when a key is in both tables.
  const { rows } = await db.query<{ job_id: string }>(
    `SELECT job_id FROM (
       SELECT job_id, 0 AS rank FROM request_keys WHERE key = $1 AND expires_at > $2
       UNION ALL SELECT job_id, 1 AS rank FROM delivery_keys WHERE key = $1
     ) AS k ORDER BY rank LIMIT 1`,
    [key, now],
  );
  const hit = rows[0];
  return hit === undefined ? undefined : findPostgresJob(db, hit.job_id);
}
