import { describe, expect, it, onTestFinished } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { createPostgresStore } from "../../src/store/create-postgres-store.js";
import type { DriftReport, JobStore, Runner, RunnerSettings } from "../../src/types.js";
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

describe("drift detection on a shared store", () => {
  it.each(SHARED_STORES)(
    "runs in one runner at a time (%s); the other says another runner checks",
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
      const [one, two] = await reports();
      expect([one?.outcome, two?.outcome].sort()).toEqual(["idle", null]);
      const other = one?.outcome === null ? one : two;
      expect(other).toMatchObject({ checkedAt: null, detail: "another runner sharing the job store checks drift" });
      // Every refusal was logged by the same runner: the lease never changed hands.
      const refused = (lines: LoggedLine[]) => lines.some((line) => line.msg === "another runner checks drift");
      expect(refused(first) && refused(second)).toBe(false);
    },
  );
});
