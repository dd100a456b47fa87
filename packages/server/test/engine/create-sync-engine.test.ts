import { setTimeout as sleep } from "node:timers/promises";
import { readStoredHash } from "@iac/sync";
import { http } from "msw";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import { isTerminalState } from "../../src/store/is-terminal-state.js";
import type { JobStore, Logger, NewJob, SyncEngine, SyncEngineOptions, SyncJob } from "../../src/types.js";
import { composeNamed, createCaptureLogger, createHarness, type Harness, type LogLine, useMsw } from "./harness.js";

const server = useMsw();

function statuses(job: { services: Array<{ result: { status: string } | null }> } | undefined): string[] {
  return job?.services.map((entry) => entry.result?.status ?? "none") ?? [];
}

describe("createSyncEngine", () => {
  it("stores a queued job at once and runs it in the background", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const submitted = await h.engine.submit(await h.newJob({ services: ["redis"], trigger: "webhook" }));
    expect(submitted.status).toBe("created");
    if (submitted.status !== "created") {
      return;
    }
    expect(submitted.job.state).toBe("queued");
    expect(submitted.job.services).toEqual([
      expect.objectContaining({ service: "redis", state: "queued", attempts: 0, result: null }),
    ]);
    h.clock.release();
    await h.engine.idle();
    const done = await h.engine.get(submitted.job.id);
    expect(done).toMatchObject({ state: "succeeded", services: [{ state: "succeeded", attempts: 1 }] });
    expect(done?.finishedAt).not.toBeNull();
    expect(h.lines.filter((line) => line.msg === "job queued")).toEqual([
      {
        level: "info",
        msg: "job queued",
        fields: {
          runner: expect.any(String),
          job: submitted.job.id,
          delivery: null,
          env: "staging",
          commit: h.base,
          trigger: "webhook",
          services: ["redis"],
        },
      },
    ]);
  });

  it("fetches a commit its mirror does not have yet (a job another runner accepted)", async () => {
    const h = await createHarness(server);
    const unseen = h.repo.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    expect(await h.git.resolveCommit(unseen)).toBeNull();
    const job = await h.sync({ services: ["redis"], commit: unseen, catalogAt: h.base });
    expect(job).toMatchObject({ state: "succeeded", services: [{ attempts: 1, result: { status: "created" } }] });
    expect(composeNamed(h.dokploy, "redis")?.composeFile).toContain("redis:7.4");
  });

  it("fails with git_fetch_failed, after its retries, for a commit the repository does not have", async () => {
    const h = await createHarness(server, { engine: { retryLimit: 1 } });
    const job = await h.sync({ services: ["redis"], commit: `${"0".repeat(39)}1`, catalogAt: h.base });
    expect(job).toMatchObject({
      state: "failed",
      services: [{ attempts: 2, result: { error: { code: "git_fetch_failed" } } }],
    });
    expect(h.dokploy.state.projects.size).toBe(0);
  });

  it("classifies a rejected Dokploy key as dokploy_auth_failed and never retries it", async () => {
    const h = await createHarness(server);
    const engine = await h.makeEngine({ dokploy: { baseUrl: h.dokploy.baseUrl, apiKey: "wrong-key", retry: false } });
    const submitted = await engine.submit(await h.newJob({ services: ["redis"] }));
    await engine.idle();
    const job = !("job" in submitted) ? undefined : await engine.get(submitted.job.id);
    expect(job).toMatchObject({
      state: "failed",
      services: [
        { state: "failed", attempts: 1, result: { status: "failed", error: { code: "dokploy_auth_failed" } } },
      ],
    });
  });

  it("retries a transient failure with backoff and succeeds when Dokploy answers again", async () => {
    const h = await createHarness(server);
    const fault = h.dokploy.inject({ route: "/project.all", status: 503, times: 2 });
    const job = await h.sync({ services: ["redis"] });
    expect(fault.hits()).toBe(2);
    expect(job).toMatchObject({ state: "succeeded", services: [{ state: "succeeded", attempts: 3 }] });
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(h.lines.filter((line) => line.msg === "transient failure, retrying later")).toHaveLength(2);
  });

  it("gives up after the retry limit and reports the last failure", async () => {
    const h = await createHarness(server, { engine: { retryLimit: 2 } });
    h.dokploy.inject({ route: "/project.all", status: 503 });
    const job = await h.sync({ services: ["redis"] });
    expect(job).toMatchObject({
      state: "failed",
      services: [{ state: "failed", attempts: 3, result: { error: { code: "dokploy_unreachable" } } }],
    });
  });

  it("reports a job with one failed service as failed, never as succeeded", async () => {
    const h = await createHarness(server, { seedSecret: false });
    const job = await h.sync({ services: ["redis", "postgres"] });
    expect(job.state).toBe("failed");
    expect(statuses(job)).toEqual(["created", "failed"]);
    expect(job.services[1]?.result?.error?.code).toBe("vault_secret_missing");
  });

  it("answers an identical request in flight with the same job instead of running it twice", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const first = await h.engine.submit(await h.newJob({ services: ["redis", "postgres"], trigger: "webhook" }));
    const second = await h.engine.submit(await h.newJob({ services: ["postgres", "redis"], trigger: "deploy" }));
    expect(first.status).toBe("created");
    expect(second.status).toBe("duplicate");
    expect("job" in second && "job" in first && second.job.id === first.job.id).toBe(true);
    h.clock.release();
    await h.engine.idle();
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    expect(h.lines.filter((line) => line.msg === "job queued")).toHaveLength(1);
    const later = await h.engine.submit(await h.newJob({ services: ["redis", "postgres"], trigger: "deploy" }));
    expect(later.status).toBe("created");
    await h.engine.idle();
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
  });

  it("lets the latest job win: a waiting sync of the same service is superseded by a newer one", async () => {
    const h = await createHarness(server);
    const c2 = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.2\n" });
    const c3 = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    h.clock.gate();
    const first = await h.engine.submit(await h.newJob({ services: ["redis"] }));
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const second = await h.engine.submit(await h.newJob({ services: ["redis"], commit: c2 }));
    const third = await h.engine.submit(await h.newJob({ services: ["redis"], commit: c3 }));
    h.clock.release();
    await h.engine.idle();
    const [one, two, three] = await Promise.all(
      [first, second, third].map((item) => (!("job" in item) ? undefined : h.engine.get(item.job.id))),
    );
    expect(one?.state).toBe("succeeded");
    expect(two?.state).toBe("superseded");
    expect(two?.services[0]?.result?.supersededBy).toBe(three?.id);
    expect(three?.state).toBe("succeeded");
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    expect(composeNamed(h.dokploy, "redis")?.composeFile).toContain("redis:7.4");
  });

  it("never runs the retry of an older job after a newer one of the same service: the retry is superseded", async () => {
    const h = await createHarness(server);
    const later = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    h.dokploy.inject({ route: "/project.all", status: 503, times: 1 });
    let newer: Promise<string> | undefined;
    const store = await replacedStore((real) => ({
      // The newer job arrives while the older one's first attempt is running, so it queues behind it.
      retryTask: async (...args) => {
        newer ??= submitted(h, engine, ["redis"], later);
        await newer;
        return real.retryTask(...args);
      },
    }));
    const engine: SyncEngine = await h.makeEngine({ store, retryBaseMs: 100 });
    const older = await submitted(h, engine, ["redis"]);
    const olderJob = await ended(engine, older);
    const newerJob = await ended(engine, await (newer ?? Promise.reject(new Error("no retry"))));
    expect(newerJob).toMatchObject({ state: "succeeded", services: [{ result: { status: "created" } }] });
    expect(olderJob).toMatchObject({
      state: "superseded",
      services: [{ attempts: 1, result: { status: "superseded", supersededBy: newerJob?.id } }],
    });
    await engine.idle();
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(composeNamed(h.dokploy, "redis")?.composeFile).toContain("redis:7.4");
  });

  it("cancels a queued job at once and a running one without recording a hash", async () => {
    const h = await createHarness(server);
    const later = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    h.clock.gate();
    const running = await h.engine.submit(await h.newJob({ services: ["redis"] }));
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    // The same service at a later commit queues behind the running sync (one sync per lane).
    const queued = await h.engine.submit(await h.newJob({ services: ["redis"], commit: later }));
    if (!("job" in running) || !("job" in queued)) {
      throw new Error("unexpected cursor");
    }
    const dequeued = await h.engine.cancel(queued.job.id, false);
    expect(dequeued).toMatchObject({ dequeued: ["redis"], stopping: [], job: { state: "cancelled" } });
    const stopping = await h.engine.cancel(running.job.id, false);
    expect(stopping).toMatchObject({ dequeued: [], stopping: ["redis"] });
    h.clock.release();
    await h.engine.idle();
    const job = await h.engine.get(running.job.id);
    expect(job).toMatchObject({ state: "cancelled", services: [{ state: "cancelled" }] });
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env ?? null)).toBeNull();
    expect(composeNamed(h.dokploy, "redis")?.composeFile).not.toContain("redis:7.4");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(h.lines.filter((line) => line.msg === "job cancelled").map((line) => line.fields)).toEqual([
      expect.objectContaining({ job: queued.job.id, force: false, dequeued: ["redis"], stopping: [] }),
      expect.objectContaining({ job: running.job.id, force: false, dequeued: [], stopping: ["redis"] }),
    ]);
    expect(await h.engine.cancel("no-such-job", true)).toBeUndefined();
  });

  it("takes over a service whose runner died, once its lease expired", async () => {
    const h = await createHarness(server);
    await h.engine.close();
    const submitted = await h.store.createJob(await h.newJob({ services: ["redis"] }));
    const claimed = await h.store.claimTask("dead-runner", Date.now(), 1);
    expect(claimed?.attempt).toBe(1);
    const engine = await h.makeEngine({ store: h.store });
    await engine.idle();
    const job = !("job" in submitted) ? undefined : await engine.get(submitted.job.id);
    expect(job).toMatchObject({ state: "succeeded", services: [{ state: "succeeded", attempts: 2 }] });
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("shares one store between two engines: every service runs once", async () => {
    const h = await createHarness(server);
    const other = await h.makeEngine({ store: h.store });
    const head = await h.commit({ "platform/03.minio/compose.yaml": "services:\n  minio:\n    image: minio\n" });
    const submitted = await other.submit(await h.newJob({ services: ["redis", "minio", "postgres"], commit: head }));
    await Promise.all([h.engine.idle(), other.idle()]);
    const job = !("job" in submitted) ? undefined : await h.engine.get(submitted.job.id);
    expect(statuses(job)).toEqual(["created", "created", "created"]);
    expect(h.dokploy.state.deployCalls).toHaveLength(3);
  });

  it("waits for a job to end, or answers with it as it is after the timeout", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const submitted = await h.engine.submit(await h.newJob({ services: ["redis"] }));
    if (!("job" in submitted)) {
      throw new Error("unexpected cursor");
    }
    const early = await h.engine.wait(submitted.job.id, 50);
    expect(early?.state).toBe("running");
    const waiting = h.engine.wait(submitted.job.id, 60_000);
    h.clock.release();
    expect((await waiting)?.state).toBe("succeeded");
    expect(await h.engine.wait("no-such-job", 10)).toBeUndefined();
  });

  it("refuses new jobs once closed", async () => {
    const h = await createHarness(server);
    await h.engine.close();
    await expect(h.engine.submit(await h.newJob({ services: ["redis"] }))).rejects.toMatchObject({
      name: "SyncError",
      code: "cancelled",
      message: "[@iac/server] the sync engine is shutting down",
    });
  });
});

/** A fresh SQLite store with some methods replaced; `replace` gets the real store to delegate to. */
async function replacedStore(replace: (real: JobStore) => Partial<JobStore>): Promise<JobStore> {
  const real = await createSqliteStore({ path: ":memory:" });
  onTestFinished(() => real.close());
  return { ...real, ...replace(real) };
}

/** A fresh store whose `retryTask` sets the wall clock (`Date.now`) back by `ms` once it stored the retry. */
async function clockSetBackAtRetry(ms: number): Promise<JobStore> {
  const realNow = Date.now.bind(Date);
  let offset = 0;
  const clock = vi.spyOn(Date, "now").mockImplementation(() => realNow() + offset);
  onTestFinished(() => clock.mockRestore());
  return replacedStore((real) => ({
    retryTask: async (...args) => {
      const stored = await real.retryTask(...args);
      offset = -ms;
      return stored;
    },
  }));
}

/** An engine of `h` that runs alone on the harness's store (the harness's own engine is closed first). */
async function onlyEngine(h: Harness, overrides: Partial<SyncEngineOptions> = {}): Promise<SyncEngine> {
  await h.engine.close();
  return h.makeEngine({ store: h.store, ...overrides });
}

/** Submits a job of `services` (at `commit`, the harness's base by default) through `engine` and answers its id. */
async function submitted(h: Harness, engine: SyncEngine, services: string[], commit?: string): Promise<string> {
  const outcome = await engine.submit(await h.newJob({ services, commit }));
  if (outcome.status !== "created") {
    throw new Error(`expected a created job, received ${outcome.status}`);
  }
  return outcome.job.id;
}

/** Submits `job` through `engine` and answers its id. */
async function submittedAt(engine: SyncEngine, job: NewJob): Promise<string> {
  const outcome = await engine.submit(job);
  if (outcome.status !== "created") {
    throw new Error(`expected a created job, received ${outcome.status}`);
  }
  return outcome.job.id;
}

/** Commits services beside redis until there are `count`, and answers the commit and their names. */
async function withServices(h: Harness, count: number): Promise<{ head: string; services: string[] }> {
  const names = Array.from({ length: count - 1 }, (_, index) => `extra${index + 1}`);
  const head = await h.commit(
    Object.fromEntries(
      names.map((name, index) => [
        `platform/${String(index + 10)}.${name}/compose.yaml`,
        `services:\n  ${name}:\n    image: nginx\n`,
      ]),
    ),
  );
  return { head, services: ["redis", ...names] };
}

/** Holds every `compose.deploy` request before the fake sees it, until `release`. */
function holdDeployCalls(h: Harness): { held(): number; release(): void } {
  let count = 0;
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  // A resolver that answers nothing hands the request on to the fake's own handler.
  server.use(
    http.post(`${h.dokploy.baseUrl}/api/compose.deploy`, async () => {
      count += 1;
      await gate;
    }),
  );
  return { held: () => count, release: () => open() };
}

/** Waits until `engine` is idle and answers the job. */
async function ended(engine: SyncEngine, id: string): Promise<SyncJob | undefined> {
  await engine.idle();
  return engine.get(id);
}

/** Whether `promise` has settled once pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

const linesOf = (lines: LogLine[], msg: string): LogLine[] => lines.filter((line) => line.msg === msg);

const LOST_RESULT = "result not recorded: the sync was taken over by another runner";
const RETRYING = "transient failure, retrying later";

describe("createSyncEngine options", () => {
  it.each([
    ["concurrency", 0, "0"],
    ["concurrency", 1.5, "1.5"],
    ["leaseMs", -1, "-1"],
    ["claimIntervalMs", Number.NaN, "NaN"],
  ] as const)("refuses %s %s with a TypeError", async (name, value, shown) => {
    const h = await createHarness(server);
    await expect(h.makeEngine({ [name]: value })).rejects.toThrow(
      new TypeError(`[@iac/server] invalid ${name}: expected an integer >= 1, received ${shown}`),
    );
  });

  it.each([
    ["4 syncs at once by default", undefined, 4],
    ["1 sync at once with concurrency 1", 1, 1],
    ["3 syncs at once with concurrency 3", 3, 3],
  ])("lets %s talk to Dokploy", async (_name, concurrency, want) => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { concurrency });
    const { head, services } = await withServices(h, 5);
    const gate = holdDeployCalls(h);
    const id = await submittedAt(engine, await h.newJob({ services, commit: head }));
    // Five syncs start at once on a shared machine: give them more than waitFor's default second.
    await vi.waitFor(() => expect(gate.held()).toBe(want), { timeout: 10_000 });
    const states = (await engine.get(id))?.services.map((entry) => entry.state);
    expect(states?.filter((state) => state === "running")).toHaveLength(want);
    expect(states?.filter((state) => state === "queued")).toHaveLength(5 - want);
    gate.release();
    expect((await ended(engine, id))?.state).toBe("succeeded");
    expect(h.dokploy.state.deployCalls).toHaveLength(5);
  });

  it.each([
    ["a 30 s lease by default", undefined, 30_000],
    ["the lease it is given", 150, 150],
  ])(
    "claims services under its runner id with %s, and renews that lease while they run",
    async (_name, leaseMs, want) => {
      const h = await createHarness(server);
      const claims: unknown[][] = [];
      const renewals: unknown[][] = [];
      const store = await replacedStore((real) => ({
        claimTask: (...args) => {
          claims.push(args);
          return real.claimTask(...args);
        },
        renewLease: (...args) => {
          renewals.push(args);
          return real.renewLease(...args);
        },
      }));
      const engine = await h.makeEngine({ store, runnerId: "runner-a", leaseMs });
      h.clock.gate();
      const id = await submitted(h, engine, ["redis"]);
      await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
      expect(claims[0]).toEqual(["runner-a", expect.any(Number), want]);
      if (leaseMs !== undefined) {
        await vi.waitFor(() => expect(renewals.length).toBeGreaterThan(0));
        expect(renewals[0]).toEqual([id, "redis", "runner-a", expect.any(Number), want]);
      }
      h.clock.release();
      expect((await ended(engine, id))?.state).toBe("succeeded");
    },
  );
});

describe("createSyncEngine heartbeat", () => {
  it.each([
    ["a cancel", false, ["compose.cleanQueues"]],
    ["a forced cancel", true, ["compose.cleanQueues", "compose.killBuild"]],
  ])("stops a running sync when its heartbeat finds %s another runner requested", async (_name, force, actions) => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { leaseMs: 150 });
    h.clock.gate();
    const id = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    // Another runner's cancel only reaches the store; this engine learns of it when it renews its lease.
    expect(await h.store.cancelJob(id, force, Date.now())).toMatchObject({ dequeued: [], stopping: ["redis"] });
    const job = await ended(engine, id);
    h.clock.release();
    expect(job).toMatchObject({
      state: "cancelled",
      services: [{ state: "cancelled", result: { status: "cancelled", error: { code: "cancelled" } } }],
    });
    expect(job?.services[0]?.result?.cancelActions?.map(({ action }) => action)).toEqual(actions);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env ?? null)).toBeNull();
  });

  it("logs a lost lease and lets the sync go on, its writes refused by the store", async () => {
    const h = await createHarness(server);
    let renewals = 0;
    const store = await replacedStore((real) => ({
      renewLease: (...args) => {
        renewals += 1;
        return renewals === 1 ? Promise.resolve("lost" as const) : real.renewLease(...args);
      },
    }));
    const engine = await h.makeEngine({ store, leaseMs: 150, runnerId: "runner-b" });
    h.clock.gate();
    const id = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(renewals).toBeGreaterThan(2));
    h.clock.release();
    expect((await ended(engine, id))?.state).toBe("succeeded");
    expect(linesOf(h.lines, "lease lost: another runner owns this sync now")).toEqual([
      {
        level: "error",
        msg: "lease lost: another runner owns this sync now",
        fields: { runner: "runner-b", job: id, service: "redis" },
      },
    ]);
  });

  it("logs a failed lease renewal and treats the lease as still held", async () => {
    const h = await createHarness(server);
    const failure = new Error("database is locked");
    let renewals = 0;
    const store = await replacedStore((real) => ({
      renewLease: (...args) => {
        renewals += 1;
        return renewals === 1 ? Promise.reject(failure) : real.renewLease(...args);
      },
    }));
    const engine = await h.makeEngine({ store, leaseMs: 150 });
    h.clock.gate();
    const id = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(renewals).toBeGreaterThan(1));
    h.clock.release();
    expect((await ended(engine, id))?.state).toBe("succeeded");
    expect(linesOf(h.lines, "lease renewal failed")).toEqual([
      expect.objectContaining({
        level: "warn",
        fields: expect.objectContaining({ err: failure, job: id, service: "redis" }),
      }),
    ]);
  });

  it.each([
    ["a cancel", false, ["compose.cleanQueues"]],
    ["a forced cancel", true, ["compose.cleanQueues", "compose.killBuild"]],
  ])("stops at once a service it takes over whose dead runner had %s requested", async (_name, force, actions) => {
    const h = await createHarness(server);
    await h.engine.close();
    const id = await submitted(h, { submit: (job) => h.store.createJob(job) } as SyncEngine, ["redis"]);
    expect(await h.store.claimTask("dead-runner", Date.now(), 1)).toMatchObject({ jobId: id, cancel: null });
    const marker = { composeId: "compose-of-the-dead-runner", hash: "h", knownDeployments: [], created: true };
    expect(await h.store.saveMarker(id, "redis", "dead-runner", marker)).toBe(true);
    expect(await h.store.cancelJob(id, force, Date.now())).toMatchObject({ stopping: ["redis"] });
    const engine = await h.makeEngine({ store: h.store });
    const job = await ended(engine, id);
    expect(job).toMatchObject({ state: "cancelled", services: [{ attempts: 2, result: { status: "cancelled" } }] });
    expect(job?.services[0]?.result?.cancelActions?.map(({ action }) => action)).toEqual(actions);
    expect(h.dokploy.state.deployCalls).toEqual([]);
  });
});

describe("createSyncEngine retries and results", () => {
  it("backs off exponentially from retryBaseMs and gives up after 3 retries by default", async () => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/project.all", status: 503 });
    const delays: number[] = [];
    const store = await replacedStore((real) => ({
      retryTask: (jobId, service, runnerId, notBefore, result, now) => {
        delays.push(notBefore - now);
        return real.retryTask(jobId, service, runnerId, notBefore, result, now);
      },
    }));
    const engine = await h.makeEngine({ store, retryBaseMs: 10, retryLimit: undefined });
    const job = await ended(engine, await submitted(h, engine, ["redis"]));
    expect(delays).toEqual([10, 20, 40]);
    expect(job).toMatchObject({
      state: "failed",
      services: [{ state: "failed", attempts: 4, result: { error: { code: "dokploy_unreachable" } } }],
    });
    expect(linesOf(h.lines, RETRYING).map((line) => line.fields)).toEqual(
      [1, 2, 3].map((attempt, index) =>
        expect.objectContaining({ code: "dokploy_unreachable", attempt, retryInMs: delays[index] }),
      ),
    );
    expect(linesOf(h.lines, LOST_RESULT)).toEqual([]);
  });

  it.each([
    ["5 s by default", undefined, 5_000],
    ["at most 5 minutes", 400_000, 300_000],
  ])("waits %s before the first retry", async (_name, retryBaseMs, want) => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/project.all", status: 503 });
    const delays: number[] = [];
    const store = await replacedStore((real) => ({
      retryTask: (jobId, service, runnerId, notBefore, result, now) => {
        delays.push(notBefore - now);
        return real.retryTask(jobId, service, runnerId, notBefore, result, now);
      },
    }));
    const engine = await h.makeEngine({ store, retryBaseMs });
    const id = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(delays).toEqual([want]));
    expect((await store.getJob(id))?.services[0]).toMatchObject({ state: "queued", attempts: 1 });
  });

  it("runs a retry when its backoff ends, without waiting for the next claim round", async () => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/project.all", status: 503, times: 1 });
    const engine = await onlyEngine(h, { claimIntervalMs: 60_000, retryBaseMs: 50 });
    const job = await engine.wait(await submitted(h, engine, ["redis"]), 60_000);
    expect(job).toMatchObject({ state: "succeeded", services: [{ attempts: 2 }] });
  });

  it("runs a retry when the wall clock was set back after the retry was scheduled", async () => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/project.all", status: 503, times: 1 });
    const store = await clockSetBackAtRetry(300);
    const engine = await h.makeEngine({ store, claimIntervalMs: 60_000, retryBaseMs: 50 });
    const job = await engine.wait(await submitted(h, engine, ["redis"]), 5_000);
    expect(job).toMatchObject({ state: "succeeded", services: [{ attempts: 2 }] });
  });

  it("keeps a retry's timer within Node's limit when the wall clock was set back by weeks", async () => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/project.all", status: 503, times: 1 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning);
    };
    process.on("warning", onWarning);
    onTestFinished(() => {
      process.off("warning", onWarning);
    });
    const store = await clockSetBackAtRetry(30 * 24 * 3_600_000);
    const engine = await h.makeEngine({ store, claimIntervalMs: 60_000, retryBaseMs: 50 });
    const id = await submitted(h, engine, ["redis"]);
    await vi.waitFor(async () => expect((await store.getJob(id))?.services[0]?.state).toBe("queued"));
    await sleep(200);
    expect(warnings.map((warning) => warning.name)).not.toContain("TimeoutOverflowWarning");
    expect((await store.getJob(id))?.services[0]).toMatchObject({ state: "queued", attempts: 1 });
  });

  it("wakes a wait whose read of the job was still being answered when the sync ended", async () => {
    const h = await createHarness(server);
    let completed = (): void => {};
    const completion = new Promise<void>((resolve) => {
      completed = resolve;
    });
    const store = await replacedStore((real) => ({
      completeTask: async (...args) => {
        const stored = await real.completeTask(...args);
        completed();
        return stored;
      },
      // A read that started before the sync ended answers after the engine has announced the end.
      getJob: async (id) => {
        const job = await real.getJob(id);
        if (job !== undefined && !isTerminalState(job.state)) {
          await completion;
          await sleep(20);
        }
        return job;
      },
    }));
    const engine = await h.makeEngine({ store, claimIntervalMs: 60_000 });
    const waiting = engine.wait(await submitted(h, engine, ["redis"]), 60_000);
    const stillWaiting = sleep(5_000, "still waiting", { ref: false });
    expect(await Promise.race([waiting, stillWaiting])).toMatchObject({ state: "succeeded" });
  });

  it.each([
    ["completes", "completeTask" as const],
    ["retries", "retryTask" as const],
  ])("warns when the store refuses the result of a sync it %s (another runner took it over)", async (_name, method) => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/project.all", status: 503, times: 1 });
    let refused = 0;
    const store = await replacedStore((real) => ({
      [method]: async (...args: unknown[]) => {
        await (real[method] as (...given: unknown[]) => Promise<boolean>)(...args);
        refused += 1;
        return refused > 1;
      },
    }));
    const engine = await h.makeEngine({ store });
    const job = await ended(engine, await submitted(h, engine, ["redis"]));
    expect(job?.state).toBe("succeeded");
    expect(linesOf(h.lines, LOST_RESULT)).toEqual([
      expect.objectContaining({ level: "warn", fields: expect.objectContaining({ service: "redis" }) }),
    ]);
  });

  it("logs a result it could not record; the next attempt takes over once the lease ran out, deploying nothing", async () => {
    const h = await createHarness(server);
    const failure = new Error("disk I/O error");
    let completions = 0;
    const store = await replacedStore((real) => ({
      completeTask: (...args) => {
        completions += 1;
        return completions === 1 ? Promise.reject(failure) : real.completeTask(...args);
      },
    }));
    const engine = await h.makeEngine({ store, leaseMs: 150 });
    const job = await ended(engine, await submitted(h, engine, ["redis"]));
    expect(linesOf(h.lines, "could not record the sync result; it will be retried")).toEqual([
      expect.objectContaining({ level: "error", fields: expect.objectContaining({ err: failure, status: "created" }) }),
    ]);
    // The deploy marker tells the next attempt that the content is deployed and its hash recorded.
    expect(job).toMatchObject({ state: "succeeded", services: [{ result: { status: "created" } }] });
    expect(job?.services[0]?.attempts).toBeGreaterThan(1);
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("fails an attempt with store_unavailable before deploying when the store refuses its deploy marker", async () => {
    const h = await createHarness(server);
    let saves = 0;
    const store = await replacedStore((real) => ({
      saveMarker: (...args) => {
        saves += 1;
        return saves === 1 ? Promise.resolve(false) : real.saveMarker(...args);
      },
    }));
    const engine = await h.makeEngine({ store });
    const job = await ended(engine, await submitted(h, engine, ["redis"]));
    expect(linesOf(h.lines, RETRYING)).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ code: "store_unavailable", attempt: 1 }) }),
    ]);
    expect(job).toMatchObject({ state: "succeeded", services: [{ attempts: 2 }] });
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("records a sync that crashed as failed with a generic error, never its text, and does not retry it", async () => {
    const h = await createHarness(server);
    const lines: LogLine[] = [];
    const crashing = (inner: Logger): Logger => ({
      ...inner,
      error: (obj, msg) => {
        if (msg === "service sync failed") {
          throw new Error("logger broke: token=abc");
        }
        inner.error(obj, msg);
      },
      child: (bindings) => crashing(inner.child(bindings)),
    });
    const engine = await h.makeEngine({
      dokploy: { baseUrl: h.dokploy.baseUrl, apiKey: "wrong-key", retry: false },
      logger: crashing(createCaptureLogger(lines)),
    });
    const job = await ended(engine, await submitted(h, engine, ["redis"]));
    expect(job).toMatchObject({
      state: "failed",
      services: [
        {
          attempts: 1,
          result: {
            status: "failed",
            error: { code: "dokploy_error", message: "[@iac/server] unexpected error during sync" },
          },
        },
      ],
    });
    expect(linesOf(lines, "sync crashed")).toEqual([
      expect.objectContaining({
        level: "error",
        fields: expect.objectContaining({
          service: "redis",
          err: expect.objectContaining({ message: "logger broke: token=abc" }),
        }),
      }),
    ]);
  });
});

describe("createSyncEngine claims", () => {
  it("never runs two claim rounds at once, and claims again after a round that started before a job was stored", async () => {
    const h = await createHarness(server);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let claims = 0;
    const store = await replacedStore((real) => ({
      claimTask: async (...args) => {
        claims += 1;
        // Asked now, answered later: the first round finds the store empty, however long it takes.
        const answer = real.claimTask(...args);
        await gate;
        return answer;
      },
    }));
    const engine = await h.makeEngine({ store, claimIntervalMs: 60_000 });
    const outcome = await engine.submit(await h.newJob({ services: ["redis"] }));
    expect(outcome.status).toBe("created");
    expect(claims).toBe(1);
    open();
    const job = await engine.wait(outcome.status === "created" ? outcome.job.id : "", 60_000);
    expect(job?.state).toBe("succeeded");
  });

  it("logs a failed claim round and claims again at the next one, with the slot it had taken", async () => {
    const h = await createHarness(server);
    const failure = new Error("database is locked");
    let claims = 0;
    const store = await replacedStore((real) => ({
      claimTask: (...args) => {
        claims += 1;
        return claims === 2 ? Promise.reject(failure) : real.claimTask(...args);
      },
    }));
    // One slot: a round that failed must give it back, or nothing could ever be claimed again.
    const engine = await h.makeEngine({ store, concurrency: 1 });
    const job = await ended(engine, await submitted(h, engine, ["redis"]));
    expect(job?.state).toBe("succeeded");
    expect(linesOf(h.lines, "claiming work from the store failed")).toEqual([
      {
        level: "error",
        msg: "claiming work from the store failed",
        fields: { err: failure, runner: expect.any(String) },
      },
    ]);
  });

  it("starts the next queued service as soon as one ends, whatever the claim interval", async () => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { concurrency: 1, claimIntervalMs: 60_000 });
    const job = await engine.wait(await submitted(h, engine, ["redis", "postgres"]), 60_000);
    expect(job).toMatchObject({ state: "succeeded", services: [{ attempts: 1 }, { attempts: 1 }] });
  });

  it("renews the leases it holds every third of the lease", async () => {
    const h = await createHarness(server);
    let renewals = 0;
    const store = await replacedStore((real) => ({
      renewLease: (...args) => {
        renewals += 1;
        return real.renewLease(...args);
      },
    }));
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const engine = await h.makeEngine({ store, leaseMs: 30_002, claimIntervalMs: 60_000 });
    h.clock.gate();
    const id = await submitted(h, engine, ["redis"]);
    // Not vi.waitFor: with fake timers it would move them on.
    while (h.clock.pending() === 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    vi.advanceTimersByTime(9_999);
    expect(renewals).toBe(0);
    vi.advanceTimersByTime(1);
    expect(renewals).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(renewals).toBe(2);
    h.clock.release();
    expect((await engine.wait(id, 60_000))?.state).toBe("succeeded");
  });

  it("claims at start the work already in its store", async () => {
    const h = await createHarness(server);
    await h.engine.close();
    const stored = await h.store.createJob(await h.newJob({ services: ["redis"] }));
    const engine = await h.makeEngine({ store: h.store, claimIntervalMs: 60_000 });
    const job = await engine.wait(stored.status === "created" ? stored.job.id : "", 60_000);
    expect(job?.state).toBe("succeeded");
  });

  it("claims in idle() the work another runner stored, without waiting for the next claim round", async () => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { claimIntervalMs: 60_000 });
    const stored = await h.store.createJob(await h.newJob({ services: ["redis"] }));
    await engine.idle();
    expect((await h.store.getJob(stored.status === "created" ? stored.job.id : ""))?.state).toBe("succeeded");
  });

  it("keeps polling in idle() while another runner holds a service, and returns once it ended", async () => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { claimIntervalMs: 60_000 });
    const stored = await h.store.createJob(await h.newJob({ services: ["redis"] }));
    const task = await h.store.claimTask("other-runner", Date.now(), 60_000);
    expect(task?.service.name).toBe("redis");
    const idle = engine.idle();
    const result = { service: "redis", env: "staging", commit: h.base, status: "skipped" as const };
    const done = { ...result, hashBefore: null, hashAfter: null, durationMs: 1 };
    expect(await h.store.completeTask(task?.jobId ?? "", "redis", "other-runner", "succeeded", done, Date.now())).toBe(
      true,
    );
    await idle;
    expect((await h.store.getJob(stored.status === "created" ? stored.job.id : ""))?.state).toBe("succeeded");
  });

  it("never keeps the process alive: its timers are unref'd", async () => {
    const h = await createHarness(server);
    const intervals = vi.spyOn(globalThis, "setInterval");
    const timeouts = vi.spyOn(globalThis, "setTimeout");
    const engine = await onlyEngine(h);
    expect(intervals.mock.results.map((made) => (made.value as NodeJS.Timeout).hasRef())).toEqual([false, false]);
    h.clock.gate();
    await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const closing = engine.close();
    const grace = timeouts.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(grace.hasRef()).toBe(false);
    h.clock.release();
    await closing;
  });

  it("stops its timers on close, and clears its grace timer once nothing runs", async () => {
    const h = await createHarness(server);
    await h.engine.close();
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout"] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const engine = await h.makeEngine({ store: h.store });
    expect(vi.getTimerCount()).toBe(2);
    await engine.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lists jobs from its store", async () => {
    const h = await createHarness(server);
    const first = await submitted(h, h.engine, ["redis"]);
    const second = await submitted(h, h.engine, ["postgres"]);
    const page = await h.engine.list({ limit: 1 });
    expect(page.jobs.map((job) => job.id)).toEqual([second]);
    expect((await h.engine.list({ limit: 5, cursor: page.nextCursor ?? "" })).jobs.map((job) => job.id)).toEqual([
      first,
    ]);
    await h.engine.idle();
  });
});

describe("createSyncEngine waits and shutdown", () => {
  it("wakes a waiter as soon as a job of this process is cancelled, whatever the claim interval", async () => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { claimIntervalMs: 60_000 });
    const later = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    h.clock.gate();
    const running = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const queued = await submittedAt(engine, await h.newJob({ services: ["redis"], commit: later }));
    const waiting = engine.wait(queued, 60_000);
    expect(await engine.cancel(queued, false)).toMatchObject({ dequeued: ["redis"] });
    expect((await waiting)?.state).toBe("cancelled");
    h.clock.release();
    expect((await ended(engine, running))?.state).toBe("succeeded");
  });

  it("stops only the syncs of the cancelled job", async () => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { concurrency: 2 });
    h.clock.gate();
    const kept = await submitted(h, engine, ["redis"]);
    const stopped = await submitted(h, engine, ["postgres"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(2));
    expect(await engine.cancel(stopped, true)).toMatchObject({ stopping: ["postgres"] });
    h.clock.release();
    await engine.idle();
    expect((await engine.get(stopped))?.state).toBe("cancelled");
    expect((await engine.get(kept))?.state).toBe("succeeded");
  });

  it("answers a job as it is once the timeout passed, whatever the claim interval", async () => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { claimIntervalMs: 60_000 });
    h.clock.gate();
    const id = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    expect((await engine.wait(id, 50))?.state).toBe("running");
    h.clock.release();
    expect((await engine.wait(id, 60_000))?.state).toBe("succeeded");
  });

  it("closes only once the syncs it runs have settled and recorded their results", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const id = await submitted(h, h.engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const closing = h.engine.close();
    expect(await settled(closing)).toBe(false);
    h.clock.release();
    await closing;
    expect((await h.store.getJob(id))?.state).toBe("succeeded");
  });

  it("stops waiting for a sync 10 s after close, leaving it to resume from the store", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const id = await submitted(h, h.engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const closing = h.engine.close();
      vi.advanceTimersByTime(9_999);
      expect(await settled(closing)).toBe(false);
      vi.advanceTimersByTime(1);
      expect(await settled(closing)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    expect((await h.store.getJob(id))?.state).toBe("running");
    // The sync goes on after close and still records its result.
    h.clock.release();
    await expect.poll(async () => (await h.store.getJob(id))?.state).toBe("succeeded");
  });
});

describe("createSyncEngine lanes", () => {
  it("lets another service deploy while a sync waits for its deploy, even with concurrency 1", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "manual" } } });
    const engine = await onlyEngine(h, { concurrency: 1 });
    h.clock.gate();
    const first = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const second = await submitted(h, engine, ["postgres"]);
    await vi.waitFor(() => expect(h.dokploy.state.deployCalls).toHaveLength(2));
    expect((await engine.get(first))?.services[0]?.state).toBe("running");
    h.dokploy.configureDeploys({ mode: "auto" });
    h.clock.release();
    await engine.idle();
    expect((await engine.get(first))?.state).toBe("succeeded");
    expect((await engine.get(second))?.state).toBe("succeeded");
  });

  it("keeps a second sync of the same service queued until the first one's deploy ended", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "manual" } } });
    const engine = await onlyEngine(h);
    const later = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    h.clock.gate();
    const first = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const second = await submittedAt(engine, await h.newJob({ services: ["redis"], commit: later }));
    // The store hands out the oldest runnable service first: once postgres (submitted later) deploys, the engine
    // has tried to claim the second redis sync, and its lane was busy.
    await submitted(h, engine, ["postgres"]);
    await vi.waitFor(() => expect(h.dokploy.state.deployCalls).toHaveLength(2));
    expect((await engine.get(second))?.services[0]?.state).toBe("queued");
    h.dokploy.configureDeploys({ mode: "auto" });
    h.clock.release();
    await engine.idle();
    expect((await engine.get(first))?.state).toBe("succeeded");
    expect((await engine.get(second))?.state).toBe("succeeded");
    expect(h.dokploy.state.deployCalls.map((call) => composeName(h, call.composeId))).toEqual([
      "redis",
      "postgres",
      "redis",
    ]);
    expect(composeNamed(h.dokploy, "redis")?.composeFile).toContain("redis:7.4");
  });

  it("lends the slot of a waiting sync and takes one back before it records the deploy", async () => {
    const h = await createHarness(server);
    const engine = await onlyEngine(h, { concurrency: 1 });
    h.clock.gate();
    const first = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const gate = holdDeployCalls(h);
    const second = await submitted(h, engine, ["postgres"]);
    await vi.waitFor(() => expect(gate.held()).toBe(1));
    // redis's deploy ends while postgres holds the only slot: redis records nothing until the slot is back.
    h.clock.release();
    await vi.waitFor(() => expect(linesOf(h.lines, "wait over; queued for a work slot")).toHaveLength(1));
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env ?? null)).toBeNull();
    expect((await engine.get(first))?.services[0]?.state).toBe("running");
    gate.release();
    await engine.idle();
    expect((await engine.get(first))?.state).toBe("succeeded");
    expect((await engine.get(second))?.state).toBe("succeeded");
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env ?? null)).not.toBeNull();
  });

  it("claims the next queued service as soon as a sync starts waiting for its deploy, whatever the claim interval", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "manual" } } });
    const engine = await onlyEngine(h, { concurrency: 1, claimIntervalMs: 3_600_000 });
    h.clock.gate();
    const id = await submitted(h, engine, ["redis", "postgres"]);
    await vi.waitFor(() => expect(h.dokploy.state.deployCalls).toHaveLength(2), { timeout: 10_000 });
    h.dokploy.configureDeploys({ mode: "auto" });
    h.clock.release();
    expect((await ended(engine, id))?.state).toBe("succeeded");
  });

  it("claims at most eight syncs per work slot while their deploys wait", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "manual" } } });
    const engine = await onlyEngine(h, { concurrency: 1 });
    const { head, services } = await withServices(h, 9);
    h.clock.gate();
    const id = await submittedAt(engine, await h.newJob({ services, commit: head }));
    await vi.waitFor(() => expect(h.clock.pending()).toBe(8), { timeout: 10_000 });
    // Claim rounds go on while eight wait; none may take the ninth, however fast the machine.
    await sleep(300);
    const states = (await engine.get(id))?.services.map((entry) => entry.state);
    expect(states?.filter((state) => state === "running")).toHaveLength(8);
    expect(states?.filter((state) => state === "queued")).toHaveLength(1);
    expect(h.dokploy.state.deployCalls).toHaveLength(8);
    h.dokploy.configureDeploys({ mode: "auto" });
    h.clock.release();
    expect((await ended(engine, id))?.state).toBe("succeeded");
    expect(h.dokploy.state.deployCalls).toHaveLength(9);
  });
});

function composeName(h: Harness, composeId: string): string | undefined {
  return h.dokploy.state.composes.get(composeId)?.name;
}

describe("createSyncEngine and the project lock", () => {
  it("retries a sync whose project lock the store could not take (store_unavailable)", async () => {
    const h = await createHarness(server);
    let failures = 1;
    const store = await replacedStore((real) => ({
      acquireLease: (name, ...rest) => {
        if (name.startsWith("lock:") && failures > 0) {
          failures -= 1;
          return Promise.reject(new Error("the database is restarting"));
        }
        return real.acquireLease(name, ...rest);
      },
    }));
    const engine = await h.makeEngine({ store });
    const job = await ended(engine, await submitted(h, engine, ["redis"]));
    expect(linesOf(h.lines, RETRYING)).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ code: "store_unavailable", attempt: 1 }) }),
    ]);
    expect(job).toMatchObject({ state: "succeeded", services: [{ attempts: 2, result: { status: "created" } }] });
    expect(h.dokploy.state.projects.size).toBe(1);
  });

  it("cancels a sync waiting for a project lock another runner holds, creating nothing", async () => {
    const h = await createHarness(server);
    let asked = 0;
    const store = await replacedStore((real) => ({
      acquireLease: (name, ...rest) => {
        if (name.startsWith("lock:")) {
          asked += 1;
          return Promise.resolve(false);
        }
        return real.acquireLease(name, ...rest);
      },
    }));
    const engine = await h.makeEngine({ store });
    const id = await submitted(h, engine, ["redis"]);
    await vi.waitFor(() => expect(asked).toBeGreaterThan(1));
    await engine.cancel(id, false);
    const job = await ended(engine, id);
    expect(job).toMatchObject({ state: "cancelled", services: [{ result: { status: "cancelled" } }] });
    expect(h.dokploy.state.projects.size).toBe(0);
  });
});
