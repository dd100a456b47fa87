import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { connectPostgres } from "../../store/connect-postgres.js";
import { SQLITE_FILE } from "../../store/open-store.js";
import { POSTGRES_MIGRATIONS } from "../../store/postgres-migrations.js";
import { SQLITE_MIGRATIONS } from "../../store/sqlite-migrations.js";
import type { RunnerSettings } from "../../types.js";
import type { CheckResult, DoctorCheck } from "./check-result.js";

const NAME = "job store";

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/** What a schema version means to this runner. */
function schemaNote(version: number, latest: number): { status: "ok" | "fail"; note: string } {
  if (version > latest) {
    return {
      status: "fail",
      note: `schema version ${version} was written by a newer runner (this one knows ${latest})`,
    };
  }
  return {
    status: "ok",
    note:
      version === latest ? `schema version ${version}` : `schema version ${version}, migrated to ${latest} at start`,
  };
}

/** The nearest folder of `path` that exists, so a data folder not created yet can be judged by its parent. */
async function nearestExisting(path: string): Promise<string> {
  let current = resolve(path);
  while (!(await exists(current)) && dirname(current) !== current) {
    current = dirname(current);
  }
  return current;
}

/**
 * The SQLite file is read without changing it. A running runner holds it with an exclusive lock for its whole
 * life, so a busy file means "in use by a running runner" (a second runner on it would refuse to start too).
 */
async function checkSqlite(dataDir: string): Promise<CheckResult> {
  const path = join(dataDir, SQLITE_FILE);
  if (!(await exists(path))) {
    const folder = await nearestExisting(dataDir);
    const writable = await access(folder, constants.W_OK).then(
      () => true,
      () => false,
    );
    return writable
      ? { name: NAME, status: "ok", message: `SQLite ${path} does not exist yet; the runner creates it at start` }
      : {
          name: NAME,
          status: "fail",
          message: `SQLite ${path} cannot be created: ${folder} is not writable`,
          fix: "make IAC_DATA_DIR writable by the runner's user (and put it on a volume)",
        };
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { fileMustExist: true, timeout: 0 });
    const hasTable = db
      .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get() as { n: number };
    const version =
      hasTable.n === 0
        ? 0
        : (
            db.prepare("SELECT coalesce(max(version), 0) AS version FROM schema_migrations").get() as {
              version: number;
            }
          ).version;
    const { status, note } = schemaNote(version, SQLITE_MIGRATIONS.length);
    return { name: NAME, status, message: `SQLite ${path} (${note})` };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
      return {
        name: NAME,
        status: "fail",
        message: `SQLite ${path} is in use by a running runner`,
        fix: "stop the runner to check its store, or run doctor with another IAC_DATA_DIR; only one runner may use the file (IAC_DATABASE_URL shares jobs between runners)",
      };
    }
    return {
      name: NAME,
      status: "fail",
      message: `SQLite ${path} cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
      fix: "check the file's permissions, or move it aside so the runner creates a new one",
    };
  } finally {
    db?.close();
  }
}

async function checkPostgres(connectionString: string, timeoutMs: number): Promise<CheckResult> {
  let pool: Awaited<ReturnType<typeof connectPostgres>>;
  try {
    pool = await connectPostgres({ connectionString, poolSize: 1, connectTimeoutMs: timeoutMs });
  } catch (error) {
    return {
      name: NAME,
      status: "fail",
      message: (error instanceof Error ? error.message : String(error)).replace(/^\[@iac\/server\] /, ""),
      fix: "check IAC_DATABASE_URL (host, port, user, password, database) and that PostgreSQL accepts connections from here",
    };
  }
  try {
    const table = await pool.query<{ name: string | null }>("SELECT to_regclass('schema_migrations')::text AS name");
    const version =
      table.rows[0]?.name == null
        ? 0
        : ((
            await pool.query<{ version: number }>(
              "SELECT coalesce(max(version), 0)::int AS version FROM schema_migrations",
            )
          ).rows[0]?.version ?? 0);
    const { status, note } = schemaNote(version, POSTGRES_MIGRATIONS.length);
    const { host, pathname } = new URL(connectionString);
    return { name: NAME, status, message: `PostgreSQL at ${host}${pathname} reachable (${note})` };
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** `job store`: the SQLite file in IAC_DATA_DIR can be opened, or PostgreSQL at IAC_DATABASE_URL answers. */
export function checkStore(settings: RunnerSettings, timeoutMs: number): DoctorCheck {
  return {
    name: NAME,
    needs: ["IAC_DATA_DIR", "IAC_DATABASE_URL"],
    async run() {
      return [
        settings.databaseUrl === undefined
          ? await checkSqlite(settings.dataDir)
          : await checkPostgres(settings.databaseUrl, timeoutMs),
      ];
    },
  };
}
