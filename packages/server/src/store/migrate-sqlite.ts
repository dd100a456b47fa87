import type Database from "better-sqlite3";
import { SQLITE_MIGRATIONS } from "./sqlite-migrations.js";

/**
 * Brings a SQLite store to the newest schema version, recording each applied version in `schema_migrations`. All
 * pending versions apply in one transaction, so a crash leaves the previous version intact.
 *
 * @throws {Error} when the file was migrated by a newer runner (its schema is unknown to this one).
 */
export function migrateSqlite(db: Database.Database): void {
  db.transaction(() => {
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)",
    );
    const row = db
      .prepare<[], { version: number }>("SELECT coalesce(max(version), 0) AS version FROM schema_migrations")
      .get();
    const current = row?.version ?? 0;
    if (current > SQLITE_MIGRATIONS.length) {
      throw new Error(
        `[@iac/server] unknown job store schema: expected version ${SQLITE_MIGRATIONS.length} or lower, received ${current} (written by a newer runner)`,
      );
    }
    const record = db.prepare<[number]>("INSERT INTO schema_migrations (version) VALUES (?)");
    SQLITE_MIGRATIONS.slice(current).forEach((sql, index) => {
      db.exec(sql);
      record.run(current + index + 1);
    });
  }).immediate();
}
