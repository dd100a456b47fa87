import type pg from "pg";
import { POSTGRES_MIGRATIONS } from "./postgres-migrations.js";

// Key of the transaction-scoped advisory lock taken while migrating, so that runners starting together migrate one
// after the other (the later ones then find nothing to do). Any constant works; this one spells "iac" in ASCII.
const MIGRATION_LOCK_KEY = 0x696163;

/**
 * Brings a PostgreSQL store to the newest schema version, recording each applied version in `schema_migrations`,
 * in one transaction under an advisory lock.
 *
 * @throws {Error} when the database was migrated by a newer runner (its schema is unknown to this one).
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ version: number }>(
      "SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations",
    );
    const current = rows[0]?.version ?? 0;
    if (current > POSTGRES_MIGRATIONS.length) {
      throw new Error(
        `[@iac/server] unknown job store schema: expected version ${POSTGRES_MIGRATIONS.length} or lower, received ${current} (written by a newer runner)`,
      );
    }
    for (const [index, sql] of POSTGRES_MIGRATIONS.slice(current).entries()) {
      await client.query(sql);
      await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [current + index + 1]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
