// Shared setup of the engine tests: a real git repository behind a real mirror, the fake Dokploy and Vault behind
// msw, a capturing logger and a clock whose sleeps advance fake time.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createFakeClock,
  createFakeDokploy,
  createFakeVault,
  type DokployComposeRow,
  type FakeClock,
  type FakeDokploy,
  type FakeDokployOptions,
  type FakeVault,
  type FakeVaultOptions,
} from "@iac/sdk/testing";
import { type SetupServer, setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, onTestFinished } from "vitest";
import { loadCatalog } from "../../src/catalog.js";
import { createSyncEngine } from "../../src/engine/create-sync-engine.js";
import { createSyncContext } from "../../src/engine/sync-context.js";
import { syncService } from "../../src/engine/sync-service.js";
import { createGitMirror } from "../../src/git/git-mirror.js";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import type {
  DeployMarker,
  GitMirror,
  JobStore,
  JobTrigger,
  Logger,
  NewJob,
  SyncClock,
  SyncContext,
  SyncEngine,
  SyncEngineOptions,
  SyncJob,
  SyncResult,
} from "../../src/types.js";
import { cleanupTemp, createTestRepo, type TestRepo } from "../helpers/git-repo.js";

/** One captured log line with the bindings of its logger merged in. */
export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  msg: string | undefined;
  fields: Record<string, unknown>;
}

/** A logger that records every line (bindings included) into `lines`. */
export function createCaptureLogger(lines: LogLine[], bindings: Record<string, unknown> = {}): Logger {
  const write =
    (level: LogLine["level"]) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, msg, fields: { ...bindings, ...obj } });
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => createCaptureLogger(lines, { ...bindings, ...more }),
  };
}

/** A SyncClock over a fake clock: `sleep` advances fake time and yields, or waits for `release` when gated. */
export interface TestClock extends SyncClock {
  /** Sleeps currently held by the gate. */
  pending(): number;
  /** Holds every later `sleep` until `release` (used to keep syncs "in flight"). */
  gate(): void;
  /** Lets held and later sleeps through. */
  release(): void;
}

export function createTestClock(fake: FakeClock): TestClock {
  let gated = false;
  let held: Array<() => void> = [];
  return {
    now: () => fake.now(),
    sleep(ms) {
      return new Promise<void>((resolve) => {
        const wake = (): void => {
          fake.advance(ms);
          setImmediate(resolve);
        };
        if (gated) {
          held.push(wake);
        } else {
          wake();
        }
      });
    },
    pending: () => held.length,
    gate() {
      gated = true;
    },
    release() {
      gated = false;
      const wakes = held;
      held = [];
      for (const wake of wakes) {
        wake();
      }
    },
  };
}

/** A throw-away git repository with a `main` branch. */
/** Starts msw for the file: unhandled requests fail the test. */
export function useMsw(): SetupServer {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** The secret every test service reads, and a value that must never show up in logs or results. */
export const PG_PASSWORD = "pg-password-3f9a7c1e";
export const HASH_KEY = "test-hash-key";

export const CONFIG = `services:
  postgres:
    vault:
      - secret/data/platform/{env}/postgres
    env:
      POSTGRES_DB: app
`;

export const POSTGRES_COMPOSE = `services:
  postgres:
    image: postgres:16
    env_file: ./pg.env
    volumes:
      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata: {}
`;

export const REDIS_COMPOSE = "services:\n  redis:\n    image: redis:7\n";

/** The initial tree: two platform services and the runner itself in the manual bootstrap layer. */
export const BASE_FILES: Record<string, string> = {
  "iac.config.yaml": CONFIG,
  "platform/01.postgres/compose.yaml": POSTGRES_COMPOSE,
  "platform/01.postgres/init.sql": "create table a (id int);\n",
  "platform/01.postgres/pg.env": "PGDATA=/var/lib/postgresql/data/pgdata\n",
  "platform/02.redis/compose.yaml": REDIS_COMPOSE,
  "bootstrap/01.iac-runner/compose.yaml": "services:\n  runner:\n    image: iac-runner\n",
};

export interface HarnessOptions {
  dokploy?: FakeDokployOptions | undefined;
  vault?: FakeVaultOptions | undefined;
  engine?: Partial<SyncEngineOptions> | undefined;
  /** Seeds the Vault secret of postgres in staging (default true). */
  seedSecret?: boolean | undefined;
}

export interface Harness {
  dokploy: FakeDokploy;
  vault: FakeVault;
  clock: TestClock;
  git: GitMirror;
  repo: TestRepo;
  lines: LogLine[];
  engine: SyncEngine;
  /** First commit (BASE_FILES). */
  base: string;
  /** Commits to the repository and fetches the mirror. */
  commit(files: Record<string, string | null>): Promise<string>;
  /** The store of `engine` (SQLite in memory). */
  store: JobStore;
  /** Submits a job (env staging and commit `base` by default), waits until the engine is idle and returns it. */
  sync(request: JobRequest): Promise<SyncJob>;
  /** Like `sync`, through another engine (from `makeEngine`). */
  syncWith(engine: SyncEngine, request: JobRequest): Promise<SyncJob>;
  /** Builds the job `sync` would submit, without submitting it. */
  newJob(request: JobRequest): Promise<NewJob>;
  /** Builds another engine over the same fakes and mirror, with a store of its own unless one is given. */
  makeEngine(overrides?: Partial<SyncEngineOptions>): Promise<SyncEngine>;
  /** What `syncService` runs with, built from the same options as the engine. */
  context: SyncContext;
  /** Runs `syncService` once for one service (env staging, commit `base` by default), without the engine. */
  syncOne(service: string, options?: SyncOneOptions): Promise<SyncResult>;
}

/** What {@link Harness.sync} runs: services by name at one commit. */
export interface JobRequest {
  services: string[];
  env?: string | undefined;
  commit?: string | undefined;
  trigger?: JobTrigger | undefined;
  delivery?: string | undefined;
  /** The commit whose catalog describes the services (default `commit`), for a commit the mirror lacks. */
  catalogAt?: string | undefined;
}

/** Options of {@link Harness.syncOne}. */
export interface SyncOneOptions {
  env?: string | undefined;
  commit?: string | undefined;
  marker?: DeployMarker | null | undefined;
  onDeploy?: ((marker: DeployMarker) => Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}

export async function createHarness(server: SetupServer, options: HarnessOptions = {}): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), "iac-engine-"));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  const fakeClock = createFakeClock();
  const dokploy = createFakeDokploy({ clock: fakeClock, deploy: { mode: "auto" }, ...options.dokploy });
  const vault = createFakeVault({ clock: fakeClock, ...options.vault });
  server.use(...dokploy.handlers, ...vault.handlers);
  if (options.seedSecret !== false) {
    vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: PG_PASSWORD });
  }
  const repo = createTestRepo();
  onTestFinished(() => cleanupTemp(repo.dir));
  const git = createGitMirror({ url: repo.url, dataDir: join(root, "data"), branch: "main" });
  const lines: LogLine[] = [];
  const clock = createTestClock(fakeClock);
  const engineOptions = {
    git,
    dokploy: { baseUrl: dokploy.baseUrl, apiKey: dokploy.apiKey, retry: false as const },
    // The SDK retries hang on msw responses with a 503 (body.cancel() never settles); the engine does not need them here.
    vault: { address: vault.address, token: vault.token, retry: false as const },
    hashKey: HASH_KEY,
    logger: createCaptureLogger(lines),
    clock,
    pollIntervalMs: 1_000,
    deployTimeoutMs: 60_000,
    ...options.engine,
  };
  const context = createSyncContext(engineOptions);
  const openMemoryStore = async (): Promise<JobStore> => {
    const opened = await createSqliteStore({ path: ":memory:" });
    onTestFinished(() => opened.close());
    return opened;
  };
  const store = await openMemoryStore();
  const engineWith = (engineStore: JobStore, overrides: Partial<SyncEngineOptions>): SyncEngine => {
    const made = createSyncEngine({
      store: engineStore,
      claimIntervalMs: 20,
      retryBaseMs: 1,
      ...engineOptions,
      ...overrides,
    });
    onTestFinished(() => made.close());
    return made;
  };
  const engine = engineWith(store, {});
  const syncWith = async (through: SyncEngine, request: JobRequest): Promise<SyncJob> => {
    const submitted = await through.submit(await newJob(request));
    if (!("job" in submitted)) {
      throw new Error(`expected a job, received ${submitted.status}`);
    }
    await through.idle();
    const done = await through.get(submitted.job.id);
    if (done === undefined) {
      throw new Error(`job ${submitted.job.id} vanished`);
    }
    return done;
  };
  const makeEngine = async (overrides: Partial<SyncEngineOptions> = {}): Promise<SyncEngine> =>
    engineWith(overrides.store ?? (await openMemoryStore()), overrides);
  const newJob = async (request: JobRequest): Promise<NewJob> => {
    const env = request.env ?? "staging";
    const at = request.commit ?? base;
    const { config, catalog } = await loadCatalog(git, request.catalogAt ?? at);
    const environment = config.environments[env];
    if (environment === undefined) {
      throw new Error(`no environment ${env} at ${at}`);
    }
    return {
      id: randomUUID(),
      env,
      commit: at,
      trigger: request.trigger ?? "sync",
      environment,
      services: request.services.map((name) => {
        const service = catalog.services.find((candidate) => candidate.name === name);
        if (service === undefined) {
          throw new Error(`no service ${name} at ${at}`);
        }
        return { service, reason: { code: "requested", message: `${name} was requested` } };
      }),
      delivery: request.delivery ?? null,
      triggeredBy: null,
      tag: null,
      ref: null,
      promotedFrom: null,
      createdAt: new Date(fakeClock.now()).toISOString(),
    };
  };
  const commit = async (files: Record<string, string | null>): Promise<string> => {
    const sha = repo.commit(files);
    await git.fetch();
    return sha;
  };
  const base = await commit(BASE_FILES);
  return {
    dokploy,
    vault,
    clock,
    git,
    repo,
    lines,
    engine,
    base,
    commit,
    makeEngine,
    context,
    async syncOne(name, one = {}) {
      const env = one.env ?? "staging";
      const at = one.commit ?? base;
      const { config, catalog } = await loadCatalog(git, at);
      const service = catalog.services.find((candidate) => candidate.name === name);
      const environment = config.environments[env];
      if (service === undefined || environment === undefined) {
        throw new Error(`no service ${name} or environment ${env} at ${at}`);
      }
      return syncService(context, {
        commit: at,
        env,
        environment,
        service,
        logger: createCaptureLogger(lines, { service: name }),
        marker: one.marker,
        onDeploy: one.onDeploy,
        signal: one.signal,
      });
    },
    store,
    newJob,
    sync: (request) => syncWith(engine, request),
    syncWith,
  };
}

/** The compose row named `name` in the fake, or undefined. */
export function composeNamed(dokploy: FakeDokploy, name: string): DokployComposeRow | undefined {
  return [...dokploy.state.composes.values()].find((compose) => compose.name === name);
}
