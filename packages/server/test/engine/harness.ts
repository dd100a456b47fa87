// Shared setup of the engine tests: a real git repository behind a real mirror, the fake Dokploy and Vault behind
// msw, a capturing logger and a clock whose sleeps advance fake time.
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
import { createSyncEngine } from "../../src/engine/create-sync-engine.js";
import { createGitMirror } from "../../src/git/git-mirror.js";
import type {
  GitMirror,
  Logger,
  SyncClock,
  SyncEngine,
  SyncEngineOptions,
  SyncJob,
  SyncJobRequest,
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
  /** Starts a job (env staging by default), waits until the engine is idle and returns the finished job. */
  sync(request: Partial<SyncJobRequest> & { services: string[] }): Promise<SyncJob>;
  /** Builds another engine over the same fakes and mirror (e.g. with other credentials). */
  makeEngine(overrides?: Partial<SyncEngineOptions>): SyncEngine;
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
  const makeEngine = (overrides: Partial<SyncEngineOptions> = {}): SyncEngine =>
    createSyncEngine({
      git,
      dokploy: { baseUrl: dokploy.baseUrl, apiKey: dokploy.apiKey, retry: false },
      // The SDK retries hang on msw responses with a 503 (body.cancel() never settles); the engine does not need them here.
      vault: { address: vault.address, token: vault.token, retry: false },
      hashKey: HASH_KEY,
      logger: createCaptureLogger(lines),
      clock,
      pollIntervalMs: 1_000,
      deployTimeoutMs: 60_000,
      ...options.engine,
      ...overrides,
    });
  const engine = makeEngine();
  onTestFinished(() => engine.close());
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
    async sync(request) {
      const job = engine.start({ env: "staging", commit: base, trigger: "sync", ...request });
      await engine.idle();
      const done = engine.get(job.id);
      if (done === undefined) {
        throw new Error(`job ${job.id} vanished`);
      }
      return done;
    },
  };
}

/** The compose row named `name` in the fake, or undefined. */
export function composeNamed(dokploy: FakeDokploy, name: string): DokployComposeRow | undefined {
  return [...dokploy.state.composes.values()].find((compose) => compose.name === name);
}
