import type { DriftRoundReport, EnvironmentCursor, JobStore } from "../types.js";
import { checkedAtMs } from "./checked-at-ms.js";
import { createSqliteJobCreator } from "./create-sqlite-job-creator.js";
import { createSqliteJobReads } from "./create-sqlite-job-reads.js";
import { createSqliteJobSettler } from "./create-sqlite-job-settler.js";
import { createSqliteReportQueue } from "./create-sqlite-report-queue.js";
import { createSqliteTaskWrites } from "./create-sqlite-task-writes.js";
import { openSqliteDatabase } from "./open-sqlite-database.js";
import { readSqliteJson } from "./read-sqlite-json.js";
import { type StateCountRow, toJobCounts } from "./to-job-counts.js";

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file, created when missing; `":memory:"` for a store that lives as long as the process. */
  path: string;
}

/**
 * A {@link JobStore} in one SQLite file, for a single runner process: the file stays locked while the store is
 * open, and opening it makes services left running by a crashed process claimable again at once.
 *
 * @example
 * const store = await createSqliteStore({ path: join(dataDir, "jobs.db") });
 * const engine = createSyncEngine({ ...options, store });
 *
 * @throws {Error} (rejects) when the file cannot be opened or is already open in another process.
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<JobStore> {
  if (typeof options?.path !== "string") {
    throw new TypeError(`[@iac/server] invalid SQLite store path: expected a string, received ${typeof options?.path}`);
  }
  const db = openSqliteDatabase(options.path);
  const reads = createSqliteJobReads(db);
  const settle = createSqliteJobSettler(db);
  const createJob = createSqliteJobCreator(db, reads, settle);
  const tasks = createSqliteTaskWrites(db, reads, settle);
  const reports = createSqliteReportQueue(db, reads);

  const pending = db.prepare<[], { pending: number }>(
    "SELECT EXISTS (SELECT 1 FROM job_services WHERE state IN ('queued', 'running')) AS pending",
  );
  const jobsByState = db.prepare<[], StateCountRow>("SELECT state, count(*) AS count FROM jobs GROUP BY state");
  const queuedTasks = db.prepare<[], { count: number }>(
    "SELECT count(*) AS count FROM job_services WHERE state = 'queued'",
  );
  const cursor = db.prepare<[string, string], EnvironmentCursor>(
    `SELECT (SELECT planned FROM environments WHERE env = ?) AS planned,
       (SELECT synced FROM environment_synced WHERE env = ?) AS synced`,
  );
  const setPlanned = db.prepare<[string, string]>(
    "INSERT INTO environments (env, planned) VALUES (?, ?) ON CONFLICT (env) DO UPDATE SET planned = excluded.planned",
  );
  const setSynced = db.prepare<[string, string]>(
    `INSERT INTO environment_synced (env, synced, synced_seq) VALUES (?, ?, NULL)
     ON CONFLICT (env) DO UPDATE SET synced = excluded.synced, synced_seq = NULL`,
  );
  // One statement decides and writes, so a concurrent claim cannot slip between a read and the write.
  const claimKey = db.prepare<[string, number, number]>(
    `INSERT INTO one_time_keys (key, expires_at) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE one_time_keys.expires_at <= ?`,
  );
  const acquireLease = db.prepare<[string, string, number, number]>(
    `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
     WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`,
  );
  const releaseLease = db.prepare<[string, string]>("DELETE FROM leases WHERE name = ? AND holder = ?");
  // The later round wins whichever is written last; of two rounds checked at the same time, the last written.
  const saveDriftReport = db.prepare<[string, number, string]>(
    `INSERT INTO drift_reports (env, checked_at, report) VALUES (?, ?, ?)
     ON CONFLICT (env) DO UPDATE SET checked_at = excluded.checked_at, report = excluded.report
     WHERE drift_reports.checked_at <= excluded.checked_at`,
  );
  const driftReport = db.prepare<[string], { report: string }>("SELECT report FROM drift_reports WHERE env = ?");
  const pruneJobs = db.prepare<[number]>(
    `DELETE FROM jobs
     WHERE state IN ('succeeded', 'failed', 'superseded', 'cancelled') AND finished_at IS NOT NULL AND finished_at < ?`,
  );
  const pruneKeys = [
    db.prepare<[number]>("DELETE FROM request_keys WHERE expires_at <= ?"),
    db.prepare<[number]>("DELETE FROM one_time_keys WHERE expires_at <= ?"),
    db.prepare<[number]>("DELETE FROM leases WHERE expires_at <= ?"),
  ];

  const initCursor = db.transaction((env: string, commit: string): boolean => {
    const current = cursor.get(env, env);
    if (current !== undefined && (current.planned !== null || current.synced !== null)) {
      return false;
    }
    setPlanned.run(env, commit);
    setSynced.run(env, commit);
    return true;
  });

  const prune = db.transaction((before: number, now: number): number => {
    // Services and dedupe keys go with their job (ON DELETE CASCADE); changes counts only the jobs.
    const deleted = pruneJobs.run(before).changes;
    for (const statement of pruneKeys) {
      statement.run(now);
    }
    return deleted;
  });

  // better-sqlite3 is synchronous; the async methods turn its results and throws into promises.
  return {
    createJob: async (job) => createJob(job),
    getJob: async (id) => reads.byId(id),
    listJobs: async (query) => reads.list(query),
    claimTask: async (runnerId, now, leaseMs) => tasks.claim(runnerId, now, leaseMs),
    renewLease: async (jobId, service, runnerId, now, leaseMs) => tasks.renew(jobId, service, runnerId, now, leaseMs),
    saveMarker: async (jobId, service, runnerId, marker) => tasks.saveMarker(jobId, service, runnerId, marker),
    completeTask: async (jobId, service, runnerId, state, result, now) =>
      tasks.complete(jobId, service, runnerId, state, result, now),
    retryTask: async (jobId, service, runnerId, notBefore, result, now) =>
      tasks.retry(jobId, service, runnerId, notBefore, result, now),
    cancelJob: async (id, force, now) => tasks.cancel(id, force, now),
    jobByKey: async (key, now) => reads.byKey(key, now),
    lastSuccessfulSync: async (env, service) => reads.lastSuccess(env, service),
    hasPendingWork: async () => pending.get()?.pending === 1,
    claimReport: async (holder, now, leaseMs) => reports.claim(holder, now, leaseMs),
    saveReport: async (jobId, holder, outcome) => reports.save(jobId, holder, outcome),
    countJobs: async () => toJobCounts(jobsByState.all()),
    countQueuedTasks: async () => queuedTasks.get()?.count ?? 0,
    cursor: async (env) => cursor.get(env, env) ?? { planned: null, synced: null },
    initCursor: async (env, commit) => initCursor.immediate(env, commit),
    claimKey: async (key, ttlMs, now) => claimKey.run(key, now + ttlMs, now).changes > 0,
    acquireLease: async (name, holder, now, ttlMs) => acquireLease.run(name, holder, now + ttlMs, now).changes > 0,
    releaseLease: async (name, holder) => {
      releaseLease.run(name, holder);
    },
    saveDriftReport: async (report) => {
      saveDriftReport.run(report.env, checkedAtMs(report), JSON.stringify(report));
    },
    driftReport: async (env) => {
      const row = driftReport.get(env);
      return row === undefined ? undefined : (readSqliteJson(row.report) as DriftRoundReport);
    },
    prune: async (before, now) => prune.immediate(before, now),
    close: async () => {
      if (db.open) {
        db.close();
      }
    },
  };
}
