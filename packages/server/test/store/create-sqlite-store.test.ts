import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import { SQLITE_MIGRATIONS } from "../../src/store/sqlite-migrations.js";
import { COMMIT_A, deployMarker, newJob, T0 } from "./store-fixtures.js";
import { claim, jobOf } from "./store-steps.js";

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "iac-sqlite-"));
  path = join(dir, "jobs.db");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("createSqliteStore", () => {
  test("refuses a second open of a file that is open, with a clear error, until the first store closes", async () => {
    const first = await createSqliteStore({ path });
    await expect(createSqliteStore({ path })).rejects.toThrow(
      `[@iac/server] cannot open the SQLite job store at ${path}: it is already open in another process or store`,
    );
    // The failed open changed nothing for the first store.
    expect((await first.createJob(newJob())).status).toBe("created");
    await first.close();
    const second = await createSqliteStore({ path });
    expect((await second.listJobs({ limit: 10 })).jobs).toHaveLength(1);
    await second.close();
  });

  test("refuses a file that another process holds open", async () => {
    const store = await createSqliteStore({ path });
    const source = fileURLToPath(new URL("../../src/store/create-sqlite-store.ts", import.meta.url));
    const script = `
      import { createSqliteStore } from ${JSON.stringify(source)};
      createSqliteStore({ path: ${JSON.stringify(path)} }).then(
        () => console.log("opened"),
        (error) => console.log(error.message),
      );`;
    const output = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(output).toContain("it is already open in another process or store");
    await store.close();
  });

  test("makes services left running by a crashed process claimable at once, keeping their marker", async () => {
    const before = await createSqliteStore({ path });
    const job = jobOf(await before.createJob(newJob({ services: ["api", "web"] })));
    await before.claimTask("runner-1", T0, 600_000);
    await before.saveMarker(job.id, "api", "runner-1", deployMarker());
    // The process dies: no completeTask, the lease would run for another 10 minutes.
    await before.close();

    const after = await createSqliteStore({ path });
    expect(await after.claimTask("runner-2", T0 + 1, 60_000)).toMatchObject({
      jobId: job.id,
      service: { name: "api" },
      attempt: 2,
      marker: deployMarker(),
    });
    expect((await claim(after, "runner-2", T0 + 2)).service.name).toBe("web");
    expect(await after.renewLease(job.id, "api", "runner-1", T0 + 3, 60_000)).toBe("lost");
    await after.close();
  });

  test("makes the reports a crashed process was delivering claimable at once", async () => {
    const first = await createSqliteStore({ path });
    const job = jobOf(await first.createJob(newJob()));
    expect(await first.claimReport("crashed-runner", T0, 60_000)).toBeDefined();
    await first.close();
    const second = await createSqliteStore({ path });
    expect((await second.claimReport("new-runner", T0 + 1, 60_000))?.job.id).toBe(job.id);
    await second.close();
  });

  test("uses WAL and records the schema version once, however often the file is opened", async () => {
    await (await createSqliteStore({ path })).close();
    await (await createSqliteStore({ path })).close();
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(raw.prepare("SELECT version FROM schema_migrations").all()).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
        { version: 5 },
      ]);
    } finally {
      raw.close();
    }
  });

  test("upgrades a file of schema version 1, keeping its jobs (without a promoted-from tag)", async () => {
    const raw = new Database(path);
    raw.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT '')");
    raw.exec(SQLITE_MIGRATIONS[0] ?? "");
    raw.prepare("INSERT INTO schema_migrations (version) VALUES (1)").run();
    raw
      .prepare(
        `INSERT INTO jobs (id, env, commit_sha, trigger, state, environment, tag, follows_branch, service_set, created_at)
         VALUES ('old-job', 'production', ?, 'deploy', 'succeeded', '{}', 'v1.3.0', 0, '[]', ?)`,
      )
      .run(COMMIT_A, new Date(T0).toISOString());
    raw.close();
    const store = await createSqliteStore({ path });
    expect(await store.getJob("old-job")).toMatchObject({ tag: "v1.3.0", promotedFrom: null });
    const job = jobOf(await store.createJob(newJob({ env: "production", tag: "v1.4.0", promotedFrom: "v1.3.5" })));
    expect(await store.getJob(job.id)).toMatchObject({ tag: "v1.4.0", promotedFrom: "v1.3.5" });
    await store.close();
  });

  test("upgrades a file of schema version 2: jobs that had ended count as reported, open ones are reported", async () => {
    const raw = new Database(path);
    raw.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT '')");
    raw.exec((SQLITE_MIGRATIONS[0] ?? "") + (SQLITE_MIGRATIONS[1] ?? ""));
    raw.prepare("INSERT INTO schema_migrations (version) VALUES (1), (2)").run();
    const insert = raw.prepare(
      `INSERT INTO jobs (id, env, commit_sha, trigger, state, environment, follows_branch, service_set, created_at)
       VALUES (?, 'production', ?, 'deploy', ?, '{"env":"production"}', 0, '[]', ?)`,
    );
    insert.run("ended-job", COMMIT_A, "failed", new Date(T0).toISOString());
    insert.run("open-job", COMMIT_A, "running", new Date(T0).toISOString());
    raw.close();
    const store = await createSqliteStore({ path });
    const report = await store.claimReport("runner-1", T0, 60_000);
    expect(report).toMatchObject({ phase: "started", job: { id: "open-job", rollbackOf: null } });
    expect(report?.environment).toMatchObject({ env: "production", rollback: "off", notify: [] });
    await store.saveReport("open-job", "runner-1", { sent: "started", progress: {}, notBefore: 0 });
    expect(await store.claimReport("runner-1", T0 + 1, 60_000)).toBeUndefined();
    // Version 4 keeps drift reports.
    expect(await store.driftReport("production")).toBeUndefined();
    await store.close();
  });

  test("refuses a file whose schema a newer runner wrote", async () => {
    await (await createSqliteStore({ path })).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version) VALUES (99)").run();
    raw.close();
    await expect(createSqliteStore({ path })).rejects.toThrow(
      "[@iac/server] unknown job store schema: expected version 5 or lower, received 99",
    );
  });

  test("rejects a path it cannot open, naming it", async () => {
    const missing = join(dir, "no-such-folder", "jobs.db");
    await expect(createSqliteStore({ path: missing })).rejects.toThrow(
      `[@iac/server] cannot open the SQLite job store at ${missing}`,
    );
  });

  test("rejects a file that is not a database, naming it", async () => {
    writeFileSync(path, "not a database, just text that is long enough to have a header ".repeat(4));
    await expect(createSqliteStore({ path })).rejects.toThrow(
      `[@iac/server] cannot open the SQLite job store at ${path}: file is not a database`,
    );
  });

  test("works in memory", async () => {
    const store = await createSqliteStore({ path: ":memory:" });
    const job = jobOf(await store.createJob(newJob()));
    expect((await claim(store, "runner-1", T0)).jobId).toBe(job.id);
    await store.close();
    // close() twice is harmless.
    await store.close();
  });

  test("rejects options without a path with a TypeError", async () => {
    // @ts-expect-error path is required
    await expect(createSqliteStore({})).rejects.toThrow(
      "[@iac/server] invalid SQLite store path: expected a string, received undefined",
    );
  });
});
