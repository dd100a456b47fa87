import type pg from "pg";
import type { JobState } from "../types.js";
import type { ServiceProgress } from "./derive-job-state.js";
import { settleJob } from "./settle-job.js";

interface SettleRow {
  env: string;
  commit_sha: string;
  state: JobState;
  follows_branch: boolean;
  finished_at: string | null;
}

/**
 * Re-derives a job's state from its services (see {@link settleJob}) in the caller's transaction. The caller holds
 * the job's row lock, so two services of one job ending at once are settled one after the other, each seeing the
 * other's result.
 */
export async function settlePostgresJob(client: pg.PoolClient, seq: number | string, now: number): Promise<void> {
  const job = await client.query<SettleRow>(
    "SELECT env, commit_sha, state, follows_branch, finished_at FROM jobs WHERE seq = $1",
    [seq],
  );
  const row = job.rows[0];
  if (row === undefined) {
    return;
  }
  const services = await client.query<ServiceProgress>("SELECT state, attempts FROM job_services WHERE job_seq = $1", [
    seq,
  ]);
  const settled = settleJob(
    {
      state: row.state,
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
      followsBranch: row.follows_branch,
    },
    services.rows,
    now,
  );
  if (settled === undefined) {
    return;
  }
  await client.query("UPDATE jobs SET state = $2, finished_at = $3 WHERE seq = $1", [
    seq,
    settled.state,
    settled.finishedAt,
  ]);
  if (settled.advancesSynced) {
    // Synced never moves back: a job only moves it past the commit of an older (lower seq) job.
    await client.query(
      `INSERT INTO environment_synced (env, synced, synced_seq) VALUES ($1, $2, $3)
       ON CONFLICT (env) DO UPDATE SET synced = EXCLUDED.synced, synced_seq = EXCLUDED.synced_seq
       WHERE environment_synced.synced_seq IS NULL OR environment_synced.synced_seq < EXCLUDED.synced_seq`,
      [row.env, row.commit_sha, seq],
    );
  }
}
