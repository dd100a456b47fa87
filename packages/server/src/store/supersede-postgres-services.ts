import type pg from "pg";
import { supersededResult } from "./superseded-result.js";

/** A queued service to end as superseded, with what its result names. */
export interface SupersededService {
  job_seq: string;
  position: number;
  service: string;
  env: string;
  /** The commit of the service's own job. */
  commit_sha: string;
  /** The id of the job it gives way to. */
  supersededBy: string;
}

/**
 * Ends queued services of a PostgreSQL store as superseded, each with its result, in the caller's transaction (whose
 * locks the caller took); the jobs are settled by the caller.
 */
export async function supersedePostgresServices(
  client: pg.PoolClient,
  services: readonly SupersededService[],
): Promise<void> {
  await client.query(
    `UPDATE job_services s SET state = 'superseded', result = t.result
     FROM unnest($1::bigint[], $2::int[], $3::jsonb[]) AS t (job_seq, position, result)
     WHERE s.job_seq = t.job_seq AND s.position = t.position AND s.state = 'queued'`,
    [
      services.map((row) => row.job_seq),
      services.map((row) => row.position),
      services.map((row) => JSON.stringify(supersededResult(row.service, row.env, row.commit_sha, row.supersededBy))),
    ],
  );
}
