import type Database from "better-sqlite3";
import type { JobState } from "../types.js";
import type { ServiceProgress } from "./derive-job-state.js";
import { settleJob } from "./settle-job.js";

interface SettleRow {
  env: string;
  commit_sha: string;
  state: JobState;
  follows_branch: number;
  finished_at: number | null;
}

/** Re-derives a job's state from its services, in the caller's transaction. */
export type SqliteSettleJob = (seq: number, now: number) => void;

/** Prepares the job re-derivation of a SQLite store (see {@link settleJob}). */
export function createSqliteJobSettler(db: Database.Database): SqliteSettleJob {
  const job = db.prepare<[number], SettleRow>(
    "SELECT env, commit_sha, state, follows_branch, finished_at FROM jobs WHERE seq = ?",
  );
  const services = db.prepare<[number], ServiceProgress>("SELECT state, attempts FROM job_services WHERE job_seq = ?");
  const update = db.prepare<[JobState, number | null, number]>(
    "UPDATE jobs SET state = ?, finished_at = ? WHERE seq = ?",
  );
  // Synced never moves back: a job only moves it past the commit of an older (lower seq) job.
  const advanceSynced = db.prepare<[string, string, number]>(
    `INSERT INTO environment_synced (env, synced, synced_seq) VALUES (?, ?, ?)
     ON CONFLICT (env) DO UPDATE SET synced = excluded.synced, synced_seq = excluded.synced_seq
     WHERE environment_synced.synced_seq IS NULL OR environment_synced.synced_seq < excluded.synced_seq`,
  );

  return (seq, now) => {
    const row = job.get(seq);
    if (row === undefined) {
      return;
    }
    const settled = settleJob(
      { state: row.state, finishedAt: row.finished_at, followsBranch: row.follows_branch === 1 },
      services.all(seq),
      now,
    );
    if (settled === undefined) {
      return;
    }
    update.run(settled.state, settled.finishedAt, seq);
    if (settled.advancesSynced) {
      advanceSynced.run(row.env, row.commit_sha, seq);
    }
  };
}
