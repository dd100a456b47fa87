import Database from "better-sqlite3";
import { migrateSqlite } from "./migrate-sqlite.js";

// How long a statement waits for a lock before failing with SQLITE_BUSY. With the exclusive lock held for the
// whole life of the connection no other process competes, so this only covers checkpoints and odd tooling.
const BUSY_TIMEOUT_MS = 5_000;

const isSqliteError = (error: unknown): error is Error & { code: string } =>
  error instanceof Error && "code" in error && typeof error.code === "string" && error.code.startsWith("SQLITE_");

const isBusy = (error: unknown): boolean =>
  isSqliteError(error) && (error.code === "SQLITE_BUSY" || error.code === "SQLITE_LOCKED");

/**
 * Opens (creating it when missing) and migrates the SQLite database of a job store.
 *
 * A file database is held with `locking_mode = EXCLUSIVE` from the first write until it is closed: a SQLite store
 * belongs to one runner process, and a second runner on the same file would claim the same services. Because no
 * other process can have been running them, services left `running` by an earlier process (it crashed) get their
 * lease cleared, so they can be claimed again at once; so do the reports it was delivering.
 *
 * @throws {Error} when the file cannot be opened, or is already open in another process (or store instance).
 */
export function openSqliteDatabase(path: string): Database.Database {
  let db: Database.Database;
  try {
    // timeout 0: a held lock must fail the open at once, not after the busy timeout.
    db = new Database(path, { timeout: 0 });
  } catch (error) {
    throw new Error(`[@iac/server] cannot open the SQLite job store at ${path}: ${(error as Error).message}`);
  }
  const inMemory = path === ":memory:" || path === "";
  try {
    db.pragma("foreign_keys = ON");
    if (!inMemory) {
      db.pragma("locking_mode = EXCLUSIVE");
      db.pragma("journal_mode = WAL");
    }
    // Its BEGIN IMMEDIATE takes the write lock, which locking_mode EXCLUSIVE then keeps until close.
    migrateSqlite(db);
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.prepare("UPDATE job_services SET lease_until = NULL WHERE state = 'running'").run();
    db.prepare("UPDATE jobs SET report_holder = NULL, report_lease_until = NULL WHERE report_holder IS NOT NULL").run();
  } catch (error) {
    db.close();
    if (isBusy(error)) {
      throw new Error(
        `[@iac/server] cannot open the SQLite job store at ${path}: it is already open in another process or store (a SQLite store belongs to one runner process; use PostgreSQL to share jobs between runners)`,
      );
    }
    if (isSqliteError(error)) {
      throw new Error(`[@iac/server] cannot open the SQLite job store at ${path}: ${error.message}`);
    }
    throw error;
  }
  return db;
}
