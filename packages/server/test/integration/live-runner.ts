// A runner with the real sync engine over a real git repository, a SQLite store in memory and the fake Dokploy
// behind msw: what the end-to-end route tests run against.
import { createFakeClock, createFakeDokploy, type FakeDokploy, type FakeDokployOptions } from "@iac/sdk/testing";
import { readStoredHash } from "@iac/sync";
import { type SetupServer, setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, expect, onTestFinished } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import type { JobStore, Runner, RunnerOptions, RunnerSettings, SyncClock, SyncJob } from "../../src/types.js";
import {
  createInfraFixture,
  createLineLogger,
  type InfraFixture,
  type LoggedLine,
  testSettings,
} from "../helpers/runner-fixture.js";

/**
 * Starts msw for the test file; a request no handler serves is an error (its fetch fails). Handlers are reset after
 * everything the test registered with `onTestFinished` has run (such as closing a live runner, whose syncs still call
 * Dokploy).
 */
export function useMsw(): SetupServer {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  beforeEach(() => {
    onTestFinished(() => server.resetHandlers());
  });
  afterAll(() => server.close());
  return server;
}

/** Options of {@link startLiveRunner}. */
export interface LiveRunnerOptions {
  dokploy?: FakeDokployOptions | undefined;
  settings?: Partial<RunnerSettings> | undefined;
  runner?: Partial<RunnerOptions> | undefined;
  /** The repository and mirror to use (default: a new infra fixture, removed when the test ends). */
  fixture?: InfraFixture | undefined;
  /** The store to use (default: a new SQLite store in memory, closed when the test ends). */
  store?: JobStore | undefined;
}

/** A running runner and everything a test looks at. */
export interface LiveRunner {
  runner: Runner;
  fixture: InfraFixture;
  dokploy: FakeDokploy;
  store: JobStore;
  /** Dokploy procedures called, in order (`compose.deploy`, `compose.cleanQueues`, ...). */
  calls: string[];
  /** composeIds `compose.killBuild` was called with. */
  killed: string[];
  lines: LoggedLine[];
  /** Polls `GET /deployments/<id>` until the job has ended. */
  waitForJob(id: string): Promise<SyncJob>;
  /** Polls until the job runs and Dokploy holds a deploy it asked for that has not finished (queued or running). */
  waitUntilDeploying(id: string): Promise<void>;
  /** The IAC_CONFIG_HASH stored in the compose named `name`, or null (undefined: no such compose). */
  storedHash(name: string): string | null | undefined;
  /** The compose file Dokploy holds for the service named `name`. */
  composeFile(name: string): string | null | undefined;
}

const DOKPLOY = "http://dokploy.test";

/**
 * Starts a runner with its own engine (claiming every 20 ms, no retry backoff to speak of), no health checks and no
 * catch-up unless `options.runner` says otherwise. Engine sleeps advance a fake clock and wait 2 ms for real, so a
 * deploy that never finishes keeps its sync running for a while instead of timing out at once. Everything is closed
 * when the test ends; a deploy stuck in Dokploy is let finish first, so the engine closes quickly.
 */
export async function startLiveRunner(server: SetupServer, options: LiveRunnerOptions = {}): Promise<LiveRunner> {
  const fake = createFakeClock();
  const clock: SyncClock = {
    now: fake.now,
    sleep: (ms) => {
      fake.advance(ms);
      return new Promise((resolve) => setTimeout(resolve, 2));
    },
  };
  const dokploy = createFakeDokploy({ clock: fake, baseUrl: DOKPLOY, deploy: { mode: "auto" }, ...options.dokploy });
  const killed: string[] = [];
  server.use(...dokploy.handlers);
  const calls: string[] = [];
  const tap = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.url.startsWith(`${DOKPLOY}/api/`)) {
      const procedure = new URL(request.url).pathname.slice("/api/".length);
      calls.push(procedure);
      if (procedure === "compose.killBuild") {
        killed.push(((await request.clone().json()) as { composeId: string }).composeId);
      }
    }
    return globalThis.fetch(request);
  };
  const fixture = options.fixture ?? createInfraFixture();
  const store = options.store ?? (await createSqliteStore({ path: ":memory:" }));
  const lines: LoggedLine[] = [];
  const runner = await createRunner({
    settings: testSettings(fixture.repo.url, fixture.dataDir, {
      dokploy: { baseUrl: DOKPLOY, apiKey: dokploy.apiKey, retry: false },
      deployTimeoutMs: 60 * 60_000,
      ...options.settings,
    }),
    git: fixture.mirror,
    store,
    clock,
    fetch: tap as typeof fetch,
    logger: createLineLogger(lines),
    healthChecks: {},
    catchUp: false,
    timing: { claimIntervalMs: 20, retryBaseMs: 1 },
    ...options.runner,
  });
  onTestFinished(async () => {
    dokploy.configureDeploys({ mode: "auto" });
    await runner.close();
    if (options.store === undefined) {
      await store.close();
    }
    if (options.fixture === undefined) {
      fixture.cleanup();
    }
  });
  const composeNamed = (name: string) => [...dokploy.state.composes.values()].find((compose) => compose.name === name);
  return {
    runner,
    fixture,
    dokploy,
    store,
    calls,
    killed,
    lines,
    async waitForJob(id) {
      let job: SyncJob | undefined;
      await expect
        .poll(async () => {
          job = await runner.engine.get(id);
          return job?.state;
        })
        .toMatch(/^(succeeded|failed|superseded|cancelled)$/);
      return job as SyncJob;
    },
    async waitUntilDeploying(id) {
      await expect
        .poll(async () => {
          const job = await runner.engine.get(id);
          const pending = dokploy.state.deployCalls.some(
            (call) => call.status === "queued" || call.status === "running",
          );
          return job?.state === "running" && pending;
        })
        .toBe(true);
    },
    storedHash: (name) => {
      const compose = composeNamed(name);
      return compose === undefined ? undefined : readStoredHash(compose.env);
    },
    composeFile: (name) => composeNamed(name)?.composeFile,
  };
}
