import type { DriftRoundReport, JobStore } from "../types.js";
import { cancelPostgresJob } from "./cancel-postgres-job.js";
import { checkCompletionState } from "./check-completion-state.js";
import { checkNewJob } from "./check-new-job.js";
import { checkedAtMs } from "./checked-at-ms.js";
import { claimPostgresTask } from "./claim-postgres-task.js";
import { completePostgresTask } from "./complete-postgres-task.js";
import { connectPostgres } from "./connect-postgres.js";
import { createPostgresJob } from "./create-postgres-job.js";
import { findPostgresJob } from "./find-postgres-job.js";
import { findPostgresJobByKey } from "./find-postgres-job-by-key.js";
import { findPostgresLastSuccess } from "./find-postgres-last-success.js";
import { listPostgresJobs } from "./list-postgres-jobs.js";
import { migratePostgres } from "./migrate-postgres.js";
import { claimPostgresReport, savePostgresReport } from "./postgres-report-queue.js";
import { readPostgresJson } from "./read-postgres-json.js";
import { retryPostgresTask } from "./retry-postgres-task.js";
import { type StateCountRow, toJobCounts } from "./to-job-counts.js";
import { withPostgresTransaction } from "./with-postgres-transaction.js";

const DEFAULT_POOL_SIZE = 5;
const CONNECT_TIMEOUT_MS = 10_000;

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (`postgresql://` too). */
  connectionString: string;
  /** Connections kept open at most (default 5). */
  poolSize?: number | undefined;
}

/**
 * A {@link JobStore} in PostgreSQL, shared by any number of runner processes: job creation is serialised per
 * environment, claims skip rows other runners hold, and a unique index keeps one running service per (env,
 * service) lane. The schema is migrated at open under an advisory lock.
 *
 * @example
 * const store = await createPostgresStore({ connectionString: process.env.IAC_DATABASE_URL });
 *
 * @throws {Error} (rejects) naming the host when the database cannot be reached or refuses the login.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<JobStore> {
  if (typeof options?.connectionString !== "string" || options.connectionString === "") {
    throw new TypeError(
      `[@iac/server] invalid PostgreSQL connection string: expected a non-empty string, received ${options?.connectionString === "" ? "an empty string" : typeof options?.connectionString}`,
    );
  }
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new TypeError(`[@iac/server] invalid poolSize: expected a positive integer, received ${String(poolSize)}`);
  }
  const pool = await connectPostgres({
    connectionString: options.connectionString,
    poolSize,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
  });
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  let closed: Promise<void> | undefined;

  return {
    async createJob(job) {
      const now = checkNewJob(job);
      return withPostgresTransaction(pool, (client) => createPostgresJob(client, job, now));
    },
    getJob: (id) => findPostgresJob(pool, id),
    listJobs: (query) => listPostgresJobs(pool, query),
    claimTask: (runnerId, now, leaseMs) =>
      withPostgresTransaction(pool, (client) => claimPostgresTask(client, runnerId, now, leaseMs)),
    async renewLease(jobId, service, runnerId, now, leaseMs) {
      const { rows } = await pool.query<{ cancel: "cancel" | "force" | null }>(
        `UPDATE job_services SET lease_until = $4
         WHERE job_seq = (SELECT seq FROM jobs WHERE id = $1) AND service = $2 AND state = 'running' AND runner_id = $3
         RETURNING cancel`,
        [jobId, service, runnerId, now + leaseMs],
      );
      const row = rows[0];
      return row === undefined ? "lost" : (row.cancel ?? "held");
    },
    async saveMarker(jobId, service, runnerId, marker) {
      const updated = await pool.query(
        `UPDATE job_services SET marker = $4::jsonb
         WHERE job_seq = (SELECT seq FROM jobs WHERE id = $1) AND service = $2 AND state = 'running' AND runner_id = $3`,
        [jobId, service, runnerId, marker === null ? null : JSON.stringify(marker)],
      );
      return (updated.rowCount ?? 0) > 0;
    },
    async completeTask(jobId, service, runnerId, state, result, now) {
      const checked = checkCompletionState(state);
      return withPostgresTransaction(pool, (client) =>
        completePostgresTask(client, { jobId, service, runnerId }, checked, result, now),
      );
    },
    retryTask: (jobId, service, runnerId, notBefore, result, now) =>
      withPostgresTransaction(pool, (client) =>
        retryPostgresTask(client, { jobId, service, runnerId }, notBefore, result, now),
      ),
    cancelJob: (id, force, now) => withPostgresTransaction(pool, (client) => cancelPostgresJob(client, id, force, now)),
    jobByKey: (key, now) => findPostgresJobByKey(pool, key, now),
    lastSuccessfulSync: (env, service) => findPostgresLastSuccess(pool, env, service),
    async hasPendingWork() {
      const { rows } = await pool.query<{ pending: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM job_services WHERE state IN ('queued', 'running')) AS pending",
      );
      return rows[0]?.pending === true;
    },
    claimReport: (holder, now, leaseMs) =>
      withPostgresTransaction(pool, (client) => claimPostgresReport(client, holder, now, leaseMs)),
    saveReport: (jobId, holder, outcome) => savePostgresReport(pool, jobId, holder, outcome),
    async countJobs() {
      const { rows } = await pool.query<StateCountRow>("SELECT state, count(*) AS count FROM jobs GROUP BY state");
      return toJobCounts(rows);
    },
    async countQueuedTasks() {
      const { rows } = await pool.query<{ count: string }>(
        "SELECT count(*) AS count FROM job_services WHERE state = 'queued'",
      );
      return Number(rows[0]?.count ?? 0);
    },
    async cursor(env) {
      const { rows } = await pool.query<{ planned: string | null; synced: string | null }>(
        `SELECT (SELECT planned FROM environments WHERE env = $1) AS planned,
           (SELECT synced FROM environment_synced WHERE env = $1) AS synced`,
        [env],
      );
      return { planned: rows[0]?.planned ?? null, synced: rows[0]?.synced ?? null };
    },
    initCursor: (env, commit) =>
      withPostgresTransaction(pool, async (client) => {
        // Same lock as createJob, so a first catch-up and a job creation in one environment never interleave.
        await client.query("INSERT INTO environments (env) VALUES ($1) ON CONFLICT DO NOTHING", [env]);
        const { rows } = await client.query<{ planned: string | null; synced: string | null }>(
          `SELECT e.planned, (SELECT synced FROM environment_synced WHERE env = $1) AS synced
           FROM environments e WHERE e.env = $1 FOR UPDATE`,
          [env],
        );
        if (rows[0] !== undefined && (rows[0].planned !== null || rows[0].synced !== null)) {
          return false;
        }
        await client.query("UPDATE environments SET planned = $2 WHERE env = $1", [env, commit]);
        await client.query(
          `INSERT INTO environment_synced (env, synced, synced_seq) VALUES ($1, $2, NULL)
           ON CONFLICT (env) DO UPDATE SET synced = EXCLUDED.synced, synced_seq = NULL`,
          [env, commit],
        );
        return true;
      }),
    async claimKey(key, ttlMs, now) {
      // One statement decides and writes, so two runners claiming one key at once cannot both win.
      const claimed = await pool.query(
        `INSERT INTO one_time_keys (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE one_time_keys.expires_at <= $3`,
        [key, now + ttlMs, now],
      );
      return claimed.rowCount === 1;
    },
    async acquireLease(name, holder, now, ttlMs) {
      const taken = await pool.query(
        `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE leases.holder = EXCLUDED.holder OR leases.expires_at <= $4`,
        [name, holder, now + ttlMs, now],
      );
      return taken.rowCount === 1;
    },
    async releaseLease(name, holder) {
      await pool.query("DELETE FROM leases WHERE name = $1 AND holder = $2", [name, holder]);
    },
    async saveDriftReport(report) {
      // The later round wins whichever is written last; of two rounds checked at the same time, the last written.
      await pool.query(
        `INSERT INTO drift_reports (env, checked_at, report) VALUES ($1, $2, $3)
         ON CONFLICT (env) DO UPDATE SET checked_at = EXCLUDED.checked_at, report = EXCLUDED.report
         WHERE drift_reports.checked_at <= EXCLUDED.checked_at`,
        [report.env, checkedAtMs(report), JSON.stringify(report)],
      );
    },
    async driftReport(env) {
      const { rows } = await pool.query<{ report: unknown }>("SELECT report FROM drift_reports WHERE env = $1", [env]);
      return rows[0] === undefined ? undefined : (readPostgresJson(rows[0].report) as DriftRoundReport);
    },
    prune: (before, now) =>
      withPostgresTransaction(pool, async (client) => {
        // SKIP LOCKED: two runners pruning at once split the work instead of deadlocking on each other's rows.
        // Services and dedupe keys go with their job (ON DELETE CASCADE).
        const deleted = await client.query(
          `DELETE FROM jobs WHERE seq IN (
             SELECT seq FROM jobs
             WHERE state IN ('succeeded', 'failed', 'superseded', 'cancelled') AND finished_at < $1
             FOR UPDATE SKIP LOCKED)`,
          [before],
        );
        await client.query("DELETE FROM request_keys WHERE expires_at <= $1", [now]);
        await client.query("DELETE FROM one_time_keys WHERE expires_at <= $1", [now]);
        await client.query("DELETE FROM leases WHERE expires_at <= $1", [now]);
        return deleted.rowCount ?? 0;
      }),
    close() {
      closed ??= pool.end();
      return closed;
    },
  };
}
