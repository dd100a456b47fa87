import type pg from "pg";

/**
 * Locks a job's row for the rest of the transaction and returns its seq; undefined for an unknown job. Every writer
 * that changes services and re-derives the job locks the job first, keeping one lock order (jobs, then
 * job_services) across runners, and so no deadlock.
 */
export async function lockPostgresJob(client: pg.PoolClient, jobId: string): Promise<string | undefined> {
  const { rows } = await client.query<{ seq: string }>("SELECT seq FROM jobs WHERE id = $1 FOR UPDATE", [jobId]);
  return rows[0]?.seq;
}
