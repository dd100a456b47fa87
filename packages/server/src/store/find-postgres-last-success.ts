import type { LastSuccessfulSync } from "../types.js";
import type { Queryable } from "./find-postgres-job.js";
import { readPostgresJson } from "./read-postgres-json.js";
import { LAST_SUCCESS_COLUMNS, type LastSuccessRow, toLastSuccessfulSync } from "./to-last-successful-sync.js";

/** `lastSuccessfulSync` of the PostgreSQL store: the newest succeeded service of the lane, by job order. */
export async function findPostgresLastSuccess(
  db: Queryable,
  env: string,
  service: string,
): Promise<LastSuccessfulSync | undefined> {
  const { rows } = await db.query<LastSuccessRow>(
    `SELECT ${LAST_SUCCESS_COLUMNS} FROM job_services s JOIN jobs j ON j.seq = s.job_seq
     WHERE s.env = $1 AND s.service = $2 AND s.state = 'succeeded'
     ORDER BY s.job_seq DESC LIMIT 1`,
    [env, service],
  );
  const row = rows[0];
  return row === undefined ? undefined : toLastSuccessfulSync(row, readPostgresJson);
}
