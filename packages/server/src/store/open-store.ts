import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { JobStore, RunnerSettings } from "../types.js";
import { createPostgresStore } from "./create-postgres-store.js";
import { createSqliteStore } from "./create-sqlite-store.js";

/** File name of the SQLite store inside `IAC_DATA_DIR`. */
export const SQLITE_FILE = "iac-runner.db";

/** The store the settings name: PostgreSQL at `IAC_DATABASE_URL`, else SQLite at `<IAC_DATA_DIR>/iac-runner.db`. */
export async function openStore(settings: Pick<RunnerSettings, "databaseUrl" | "dataDir">): Promise<JobStore> {
  if (settings.databaseUrl !== undefined) {
    return createPostgresStore({ connectionString: settings.databaseUrl });
  }
  // A first start has no data folder yet; the git mirror would create it too, but only on its first fetch.
  await mkdir(settings.dataDir, { recursive: true });
  return createSqliteStore({ path: join(settings.dataDir, SQLITE_FILE) });
}
