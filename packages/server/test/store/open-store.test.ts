import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, SQLITE_FILE } from "../../src/store/open-store.js";
import type { JobStore } from "../../src/types.js";
import { cleanupTemp, makeTemp } from "../helpers/git-repo.js";
import { createTestDatabase, type TestDatabase } from "./postgres-test-database.js";

describe("openStore", () => {
  const opened: JobStore[] = [];
  const temps: string[] = [];
  const databases: TestDatabase[] = [];

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await Promise.all(databases.splice(0).map((database) => database.drop()));
    cleanupTemp(...temps.splice(0));
  });

  it("opens SQLite in IAC_DATA_DIR, creating the folder on a first start", async () => {
    const root = makeTemp();
    temps.push(root);
    const dataDir = join(root, "not", "there", "yet");
    const store = await openStore({ dataDir, databaseUrl: undefined });
    opened.push(store);
    expect(existsSync(join(dataDir, SQLITE_FILE))).toBe(true);
    expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
  });

  it("opens PostgreSQL when IAC_DATABASE_URL is set, and creates nothing in IAC_DATA_DIR", async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const root = makeTemp();
    temps.push(root);
    const dataDir = join(root, "unused");
    const store = await openStore({ dataDir, databaseUrl: database.connectionString });
    opened.push(store);
    expect(await store.initCursor("staging", "a".repeat(40))).toBe(true);
    const rows = await database.query<{ count: string }>("SELECT count(*) AS count FROM schema_migrations");
    expect(Number(rows[0]?.count)).toBeGreaterThan(0);
    expect(existsSync(dataDir)).toBe(false);
  });
});
