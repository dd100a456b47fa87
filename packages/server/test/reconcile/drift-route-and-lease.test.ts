import { describe, expect, it, onTestFinished } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { createPostgresStore } from "../../src/store/create-postgres-store.js";
import type { DriftReport, DriftRoundReport, JobStore, Runner, RunnerSettings } from "../../src/types.js";
import {
  createInfraFixture,
  createLineLogger,
  createStubEngine,
  type LoggedLine,
  memoryStore,
  stubRunnerOptions,
  testSettings,
} from "../helpers/runner-fixture.js";
import { createTestDatabase } from "../store/postgres-test-database.js";

const TOKEN = "test-api-token-0123456789";

/** A runner over `store` with a stub engine (nothing deploys) and `settings` on top of the test settings. */
async function stubRunner(
  store: JobStore,
  settings: Partial<RunnerSettings>,
  lines: LoggedLine[] = [],
): Promise<Runner> {
  const fixture = createInfraFixture();
  const runner = await createRunner(
    stubRunnerOptions(fixture, createStubEngine(store), {
      settings: testSettings(fixture.repo.url, fixture.dataDir, settings),
      logger: createLineLogger(lines),
    }),
  );
  onTestFinished(async () => {
    await runner.close();
    fixture.cleanup();
  });
  return runner;
}

function driftRequest(token: string | null, query = ""): Request {
  const headers: HeadersInit = token === null ? {} : { authorization: `Bearer ${token}` };
  return new Request(`http://runner.test/drift${query}`, { headers });
}

describe("GET /drift", () => {
  it("does not exist without IAC_API_TOKEN, like /deployments", async () => {
    const runner = await stubRunner(await memoryStore(), { reconcileIntervalMs: 20 });
    const response = await runner.fetch(driftRequest(TOKEN));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: "no endpoint at /drift", code: "not_found" });
  });

  it("answers 401 without the bearer token, and with a wrong one", async () => {
    const runner = await stubRunner(await memoryStore(), { reconcileIntervalMs: 20, apiToken: TOKEN });
    for (const token of [null, "not-the-token-0123456789"]) {
      const response = await runner.fetch(driftRequest(token));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="iac-runner"');
    }
  });

  it("refuses a query parameter with 400", async () => {
    const runner = await stubRunner(await memoryStore(), { reconcileIntervalMs: 20, apiToken: TOKEN });
    const response = await runner.fetch(driftRequest(TOKEN, "?env=production"));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: "invalid_request" });
  });

  it("says drift detection is off without IAC_RECONCILE_INTERVAL", async () => {
    const runner = await stubRunner(await memoryStore(), { apiToken: TOKEN });
    const response = await runner.fetch(driftRequest(TOKEN));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      checkedAt: null,
      env: "staging",
      commit: null,
      outcome: null,
      detail: "drift detection is off: set IAC_RECONCILE_INTERVAL",
      services: [],
      corrections: [],
      environments: [],
    });
  });

  it("reports an idle round before the first sync", async () => {
    const runner = await stubRunner(await memoryStore(), { reconcileIntervalMs: 20, apiToken: TOKEN });
    await expect
      .poll(async () => ((await (await runner.fetch(driftRequest(TOKEN))).json()) as DriftReport).outcome)
      .toBe("idle");
    const report = (await (await runner.fetch(driftRequest(TOKEN))).json()) as DriftReport;
    // Nothing is compared elsewhere either: the other environments are read at the synced commit.
    expect(report).toMatchObject({
      commit: null,
      detail: "nothing was synced to staging yet",
      services: [],
      environments: [],
    });
    expect(report.checkedAt).toEqual(expect.any(String));
  });
});

/** Two stores over one database: SQLite in memory (one store object), or two PostgreSQL stores of one database. */
const SHARED_STORES: [string, () => Promise<[JobStore, JobStore]>][] = [
  [
    "SQLite",
    async () => {
      const store = await memoryStore();
      return [store, store];
    },
  ],
  [
    "PostgreSQL",
    async () => {
      const database = await createTestDatabase();
      const stores = await Promise.all(
        [1, 2].map(() => createPostgresStore({ connectionString: database.connectionString })),
      );
      onTestFinished(async () => {
        await Promise.all(stores.map((store) => store.close()));
        await database.drop();
      });
      return stores as [JobStore, JobStore];
    },
  ],
];

/** The report `runner` answers `GET /drift` with. */
async function driftOf(runner: Runner): Promise<DriftReport> {
  return (await (await runner.fetch(driftRequest(TOKEN))).json()) as DriftReport;
}

describe("drift detection on a shared store", () => {
  it.each(SHARED_STORES)(
    "runs in one runner at a time (%s); the other shows the rounds that runner keeps in the store",
    async (_name, open) => {
      const [left, right] = await open();
      const settings = { reconcileIntervalMs: 20, apiToken: TOKEN };
      const first: LoggedLine[] = [];
      const second: LoggedLine[] = [];
      const runners = [await stubRunner(left, settings, first), await stubRunner(right, settings, second)];
      const reports = async (): Promise<DriftReport[]> =>
        Promise.all(
          runners.map(async (runner) => (await (await runner.fetch(driftRequest(TOKEN))).json()) as DriftReport),
        );
      // Rounds repeat every 20 ms: wait until the other runner was refused the lease several times.
      const refusals = () => [...first, ...second].filter((line) => line.msg === "another runner checks drift").length;
      await expect.poll(refusals).toBeGreaterThanOrEqual(3);
      // Both show a round (a round apart at most: the holder shows its own as soon as it ends, then keeps it).
      for (const report of await reports()) {
        expect(report).toMatchObject({ outcome: "idle", detail: "nothing was synced to staging yet" });
        expect(report.checkedAt).toEqual(expect.any(String));
      }
      // Every refusal was logged by the same runner: the lease never changed hands.
      const refused = (lines: LoggedLine[]) => lines.some((line) => line.msg === "another runner checks drift");
      expect(refused(first) && refused(second)).toBe(false);
    },
  );

  it.each(SHARED_STORES)("shows the holder's very round in the other runner (%s)", async (_name, open) => {
    const [left, right] = await open();
    // One round each hour: the round at start is the only one.
    const settings = { reconcileIntervalMs: 3_600_000, apiToken: TOKEN };
    const runners = [await stubRunner(left, settings), await stubRunner(right, settings)];
    await expect
      .poll(async () => (await Promise.all(runners.map(driftOf))).map((report) => report.outcome))
      .toEqual(["idle", "idle"]);
    const [one, two] = await Promise.all(runners.map(driftOf));
    expect(two).toEqual(one);
  });
});

/** Gives the drift detection lease of staging to another runner for an hour: a runner started on `store` runs no round. */
async function leaseToAnotherRunner(store: JobStore): Promise<void> {
  expect(await store.acquireLease("reconcile:staging", "another-runner", Date.now(), 3_600_000)).toBe(true);
}

describe("drift reports kept in the store", () => {
  it("are shown by a runner restarted on the store until its own round ends", async () => {
    const store = await memoryStore();
    const kept: DriftRoundReport = {
      checkedAt: "2026-01-01T00:00:00.000Z",
      env: "staging",
      commit: null,
      outcome: "idle",
      detail: "kept by an earlier process",
      services: [],
      corrections: [],
      environments: [],
    };
    await store.saveDriftReport(kept);
    // Another runner holds the lease for an hour: this one runs no round and shows the one kept.
    await leaseToAnotherRunner(store);
    const lines: LoggedLine[] = [];
    const runner = await stubRunner(store, { reconcileIntervalMs: 20, apiToken: TOKEN }, lines);
    await expect.poll(() => lines.some((line) => line.msg === "another runner checks drift")).toBe(true);
    expect(await driftOf(runner)).toEqual(kept);
    // Without any round kept, it says why.
    const empty = await memoryStore();
    await leaseToAnotherRunner(empty);
    const waiting = await stubRunner(empty, { reconcileIntervalMs: 20, apiToken: TOKEN });
    await expect
      .poll(async () => (await driftOf(waiting)).detail)
      .toBe("another runner sharing the job store checks drift and has not finished a round yet");
    expect(await driftOf(waiting)).toMatchObject({ checkedAt: null, outcome: null });
  });

  it("still show this runner's rounds when the store cannot keep or read them, with a warning", async () => {
    const store = await memoryStore();
    const failing: JobStore = {
      ...store,
      saveDriftReport: () => Promise.reject(new Error("disk I/O error")),
      driftReport: () => Promise.reject(new Error("disk I/O error")),
    };
    const lines: LoggedLine[] = [];
    const runner = await stubRunner(failing, { reconcileIntervalMs: 20, apiToken: TOKEN }, lines);
    await expect.poll(async () => (await driftOf(runner)).outcome).toBe("idle");
    await expect
      .poll(() =>
        lines.filter((line) => line.msg === "drift report not kept in the job store: only this runner shows it"),
      )
      .not.toEqual([]);
    expect(lines.some((line) => line.msg?.startsWith("drift detection round failed"))).toBe(false);
    expect(await store.driftReport("staging")).toBeUndefined();
  });

  it("show this runner's newer round when the store kept only an older one", async () => {
    const store = await memoryStore();
    let saves = 0;
    // The store keeps the first round, then cannot keep any more.
    const flaky: JobStore = {
      ...store,
      saveDriftReport: (report) => {
        saves += 1;
        return saves === 1 ? store.saveDriftReport(report) : Promise.reject(new Error("disk full"));
      },
    };
    const runner = await stubRunner(flaky, { reconcileIntervalMs: 20, apiToken: TOKEN });
    await expect.poll(() => saves).toBeGreaterThanOrEqual(3);
    const kept = await store.driftReport("staging");
    const shown = await driftOf(runner);
    expect(shown.checkedAt !== null && kept !== undefined && shown.checkedAt > kept.checkedAt).toBe(true);
  });

  it("answer 503 when the store cannot be read and this runner has run no round", async () => {
    const store = await memoryStore();
    await leaseToAnotherRunner(store);
    const unreadable: JobStore = { ...store, driftReport: () => Promise.reject(new Error("connection reset")) };
    const lines: LoggedLine[] = [];
    const runner = await stubRunner(unreadable, { reconcileIntervalMs: 20, apiToken: TOKEN }, lines);
    await expect.poll(() => lines.some((line) => line.msg === "another runner checks drift")).toBe(true);
    const response = await runner.fetch(driftRequest(TOKEN));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: "store_unavailable" });
  });

  it("show a newer round kept by another runner rather than this runner's older one", async () => {
    const store = await memoryStore();
    const lines: LoggedLine[] = [];
    const runner = await stubRunner(store, { reconcileIntervalMs: 3_600_000, apiToken: TOKEN }, lines);
    await expect.poll(async () => (await driftOf(runner)).outcome).toBe("idle");
    const own = await driftOf(runner);
    // Another runner took the lease over and kept a later round; then one checked before this runner's is replayed.
    const later = { ...own, checkedAt: new Date(Date.parse(own.checkedAt ?? "") + 1_000).toISOString(), detail: "x" };
    await store.saveDriftReport(later as DriftRoundReport);
    expect(await driftOf(runner)).toEqual(later);
    const earlier = { ...own, checkedAt: new Date(Date.parse(own.checkedAt ?? "") - 1_000).toISOString() };
    await store.saveDriftReport(earlier as DriftRoundReport);
    expect(await driftOf(runner)).toEqual(later);
  });
});
