import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import { describeJobStore } from "./describe-job-store.js";

describeJobStore("SQLite store", async () => {
  const dir = mkdtempSync(join(tmpdir(), "iac-store-"));
  const store = await createSqliteStore({ path: join(dir, "jobs.db") });
  return { store, dispose: async () => rmSync(dir, { recursive: true, force: true }) };
});
