import { describe, expect, onTestFinished, test } from "vitest";
import { createPostgresStore } from "../../src/store/create-postgres-store.js";
import { POSTGRES_MIGRATIONS } from "../../src/store/postgres-migrations.js";
import type { ClaimedTask, JobStore } from "../../src/types.js";
import { createTestDatabase, type TestDatabase } from "./postgres-test-database.js";
import { COMMIT_A, COMMIT_B, COMMIT_C, deployMarker, newJob, syncResult, T0 } from "./store-fixtures.js";
import { jobOf, stored } from "./store-steps.js";

/** A fresh database for this test, dropped after it. */
const freshDatabase = async (): Promise<TestDatabase> => {
  const database = await createTestDatabase();
  onTestFinished(() => database.drop());
  return database;
};

/** Two stores on one database, like two runner processes sharing it; closed when the test ends. */
const twoRunners = async (database: TestDatabase): Promise<[JobStore, JobStore]> => {
  const stores = await Promise.all([
    createPostgresStore({ connectionString: database.connectionString, poolSize: 3 }),
    createPostgresStore({ connectionString: database.connectionString, poolSize: 3 }),
  ]);
  onTestFinished(() => Promise.all(stores.map((store) => store.close())).then(() => undefined));
  return stores;
};

describe("createPostgresStore", () => {
  test("rejects an unreachable server with a message naming the host, without the password", async () => {
    const attempt = createPostgresStore({ connectionString: "postgres://postgres:s3cret@127.0.0.1:1/jobs" });
    await expect(attempt).rejects.toThrow("[@iac/server] could not connect to PostgreSQL at 127.0.0.1:1/jobs:");
    const error = await attempt.then(
      () => new Error("opened"),
      (reason: unknown) => reason as Error,
    );
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).not.toContain("s3cret");
    expect(error.message).not.toContain("\n");
  });

  test("rejects a database that does not exist, naming it", async () => {
    const url = new URL(process.env["IAC_TEST_POSTGRES_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres");
    url.pathname = "/iac_no_such_database";
    await expect(createPostgresStore({ connectionString: url.toString() })).rejects.toThrow(
      /could not connect to PostgreSQL at .+\/iac_no_such_database: database "iac_no_such_database" does not exist/,
    );
  });

  test("rejects a connection string that is not a postgres URL, without echoing it", async () => {
    for (const connectionString of ["host=db password=s3cret", "mysql://u:s3cret@db/x"]) {
      const attempt = createPostgresStore({ connectionString });
      await expect(attempt).rejects.toThrow(TypeError);
      await expect(attempt).rejects.toThrow(
        "[@iac/server] invalid PostgreSQL connection string: expected a postgres:// or postgresql:// URL, received another text",
      );
    }
  });

  test("rejects a pool size that is not a positive integer", async () => {
    await expect(createPostgresStore({ connectionString: "postgres://127.0.0.1/x", poolSize: 0 })).rejects.toThrow(
      "[@iac/server] invalid poolSize: expected a positive integer, received 0",
    );
  });

  test("two runners starting together migrate the schema once", async () => {
    const database = await freshDatabase();
    await twoRunners(database);
    expect(await database.query("SELECT version FROM schema_migrations")).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
      { version: 5 },
    ]);
  });

  test("upgrades a database of schema version 1 to the newest, keeping its jobs; ended ones count as reported", async () => {
    const database = await freshDatabase();
    await database.query(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    );
    await database.query(POSTGRES_MIGRATIONS[0] ?? "");
    await database.query("INSERT INTO schema_migrations (version) VALUES (1)");
    for (const [id, state] of [
      ["ended-job", "succeeded"],
      ["open-job", "queued"],
    ]) {
      await database.query(
        `INSERT INTO jobs (id, env, commit_sha, trigger, state, environment, tag, follows_branch, service_set, created_at)
         VALUES ($1, 'production', $2, 'deploy', $3, '{"env":"production"}', 'v1.3.0', false, '[]', $4)`,
        [id, COMMIT_A, state, new Date(T0).toISOString()],
      );
    }
    const store = await createPostgresStore({ connectionString: database.connectionString });
    onTestFinished(() => store.close());
    expect(await store.getJob("ended-job")).toMatchObject({ tag: "v1.3.0", promotedFrom: null, rollbackOf: null });
    const report = await store.claimReport("runner-1", T0, 60_000);
    expect(report).toMatchObject({ phase: "started", job: { id: "open-job" } });
    expect(report?.environment).toMatchObject({ env: "production", rollback: "off", reconcile: "report" });
    await store.saveReport("open-job", "runner-1", { sent: "started", progress: {}, notBefore: 0 });
    expect(await store.claimReport("runner-1", T0 + 1, 60_000)).toBeUndefined();
    // Version 4 keeps drift reports.
    expect(await store.driftReport("production")).toBeUndefined();
  });

  test("refuses a database whose schema a newer runner wrote", async () => {
    const database = await freshDatabase();
    await (await createPostgresStore({ connectionString: database.connectionString })).close();
    await database.query("INSERT INTO schema_migrations (version) VALUES (99)");
    await expect(createPostgresStore({ connectionString: database.connectionString })).rejects.toThrow(
      "[@iac/server] unknown job store schema: expected version 5 or lower, received 99",
    );
  });

  test("close() ends the pool", async () => {
    const database = await freshDatabase();
    const store = await createPostgresStore({ connectionString: database.connectionString });
    await store.close();
    await store.close();
    await expect(store.getJob("x")).rejects.toThrow();
  });
});

describe("two runners on one PostgreSQL database", () => {
  test("see each other's jobs", async () => {
    const [one, two] = await twoRunners(await freshDatabase());
    const job = jobOf(await one.createJob(newJob({ services: ["api", "web"] })));
    expect(await two.getJob(job.id)).toEqual(job);
    expect((await two.listJobs({ limit: 5 })).jobs).toEqual([job]);
    expect(await two.hasPendingWork()).toBe(true);
  });

  test("creating jobs with one delivery key at once gives exactly one created, in one environment or two", async () => {
    const [one, two] = await twoRunners(await freshDatabase());
    for (let round = 0; round < 10; round++) {
      const deliveryKey = `delivery-${round}`;
      // Odd rounds use two environments: no shared environment lock, so the key's unique index decides.
      const results = await Promise.all([
        one.createJob(newJob({ services: [`svc-${round}`], deliveryKey })),
        two.createJob(
          newJob({
            env: round % 2 === 0 ? "staging" : "production",
            services: [`svc-${round}`],
            commit: COMMIT_B,
            deliveryKey,
          }),
        ),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual(["created", "duplicate"]);
      expect(jobOf(results[0]).id).toBe(jobOf(results[1]).id);
    }
  });

  test("creating jobs with one request key in two environments at once gives exactly one created", async () => {
    const [one, two] = await twoRunners(await freshDatabase());
    for (let round = 0; round < 6; round++) {
      const requestKey = { key: `request-${round}`, ttlMs: 60_000 };
      const results = await Promise.all([
        one.createJob(newJob({ services: [`svc-${round}`], requestKey })),
        two.createJob(newJob({ env: "production", services: [`svc-${round}`], requestKey })),
      ]);
      expect(results.map((result) => result.status).sort()).toEqual(["created", "duplicate"]);
      expect(jobOf(results[0]).id).toBe(jobOf(results[1]).id);
    }
  });

  test("creating branch-following jobs from one cursor at once gives one created and one cursor_moved", async () => {
    const [one, two] = await twoRunners(await freshDatabase());
    for (let round = 0; round < 10; round++) {
      const env = `env-${round}`;
      // Odd rounds race on an environment that exists already (its row is there to lock), even ones on a new one.
      const expected = round % 2 === 0 ? null : COMMIT_C;
      if (expected !== null) {
        await one.initCursor(env, expected);
      }
      const results = await Promise.all([
        one.createJob(newJob({ env, commit: COMMIT_A, cursor: { expected } })),
        two.createJob(newJob({ env, commit: COMMIT_B, cursor: { expected } })),
      ]);
      const created = results.find((result) => result.status === "created");
      const moved = results.find((result) => result.status === "cursor_moved");
      expect(created).toBeDefined();
      expect(moved).toEqual({ status: "cursor_moved", planned: created === undefined ? null : jobOf(created).commit });
    }
  });

  test("a service whose lease expired on one runner is taken over by the other with its marker", async () => {
    const [one, two] = await twoRunners(await freshDatabase());
    const job = jobOf(await one.createJob(newJob()));
    expect((await one.claimTask("runner-1", T0, 1_000))?.attempt).toBe(1);
    await one.saveMarker(job.id, "api", "runner-1", deployMarker());
    expect(await two.claimTask("runner-2", T0 + 500, 1_000)).toBeUndefined();
    expect(await two.claimTask("runner-2", T0 + 1_001, 1_000)).toMatchObject({
      jobId: job.id,
      attempt: 2,
      marker: deployMarker(),
    });
    expect(await one.renewLease(job.id, "api", "runner-1", T0 + 1_002, 1_000)).toBe("lost");
    expect(
      await two.completeTask(job.id, "api", "runner-2", "succeeded", syncResult("api", "updated"), T0 + 1_003),
    ).toBe(true);
    expect((await stored(one, job.id)).state).toBe("succeeded");
  });

  test("claiming concurrently never runs two services of one lane nor one service twice", async () => {
    const database = await freshDatabase();
    const stores = await twoRunners(database);
    const envs = ["staging", "production", "preview"];
    const names = ["api", "web", "db", "queue"];
    const running = new Map<string, string>();
    const claimed = new Set<string>();
    const violations: string[] = [];
    let claims = 0;
    let creating = true;

    const creator = async (): Promise<void> => {
      for (let index = 0; index < 40; index++) {
        const services = names.filter((_, position) => (index + position) % 3 !== 0);
        const store = stores[index % 2] as JobStore;
        await store.createJob(
          newJob({
            env: envs[index % envs.length] ?? "staging",
            commit: index.toString(16).padStart(40, "0"),
            services,
          }),
        );
      }
      creating = false;
    };

    const worker = async (store: JobStore, runnerId: string): Promise<void> => {
      let idle = 0;
      while (creating || idle < 3) {
        const task: ClaimedTask | undefined = await store.claimTask(runnerId, T0, 600_000);
        if (task === undefined) {
          idle += 1;
          await new Promise((resolve) => setTimeout(resolve, 2));
          continue;
        }
        idle = 0;
        claims += 1;
        const lane = `${task.env}/${task.service.name}`;
        const service = `${task.jobId}/${task.service.name}`;
        if (running.has(lane)) {
          violations.push(`${runnerId} claimed ${service} while ${running.get(lane)} ran lane ${lane}`);
        }
        if (claimed.has(service)) {
          violations.push(`${runnerId} claimed ${service} a second time`);
        }
        running.set(lane, runnerId);
        claimed.add(service);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        // The lane is released here before the store frees it, so a claim racing the commit is never miscounted.
        running.delete(lane);
        const done = await store.completeTask(
          task.jobId,
          task.service.name,
          runnerId,
          "succeeded",
          syncResult(task.service.name, "updated", task.commit),
          T0,
        );
        if (!done) {
          violations.push(`${runnerId} lost ${service} before completing it`);
        }
      }
    };

    const [one, two] = stores;
    await Promise.all([creator(), worker(one, "a-1"), worker(one, "a-2"), worker(two, "b-1"), worker(two, "b-2")]);
    expect(violations).toEqual([]);
    expect(claims).toBeGreaterThan(20);
    expect(await one.hasPendingWork()).toBe(false);
    const states = await database.query<{ state: string }>("SELECT DISTINCT state FROM jobs ORDER BY state");
    expect(states.map((row) => row.state).every((state) => state === "succeeded" || state === "superseded")).toBe(true);
  });
});
