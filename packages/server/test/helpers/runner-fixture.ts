import { createRequire } from "node:module";
import { sign, signRequest } from "@iac/sync";
import { onTestFinished } from "vitest";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import type { JobStore, Logger, NewJob, RunnerOptions, RunnerSettings, SyncEngine } from "../../src/types.js";
import { createMirrorFixture, type MirrorFixture } from "./git-repo.js";

/** GitHub's documented test secret. */
export const SECRET: string = "It's a Secret to Everybody";
export const PREVIOUS_SECRET: string = "the-previous-secret";
export const ZERO: string = "0".repeat(40);

export const COMPOSE: string = "services:\n  app:\n    image: nginx:1.27\n";

/** The layout of the original infrastructure repository: two platform services, the runner itself, a shared lib. */
export const INFRA_FILES: Record<string, string> = {
  "platform/01.postgres/compose.yaml": COMPOSE,
  "platform/02.redis/compose.yaml": COMPOSE,
  "bootstrap/06.iac-runner/compose.yaml": COMPOSE,
  "libs/common.py": "x = 1\n",
  "README.md": "# infra\n",
};

/** Settings for in-process tests: every value explicit, nothing read from the environment. */
export function testSettings(
  gitRepoUrl: string,
  dataDir: string,
  overrides: Partial<RunnerSettings> = {},
): RunnerSettings {
  return {
    webhookSecret: SECRET,
    webhookSecretPrevious: PREVIOUS_SECRET,
    gitRepoUrl,
    gitBranch: "main",
    dokploy: { baseUrl: "http://dokploy.test", apiKey: "test-dokploy-key" },
    vault: undefined,
    internalDomain: undefined,
    deployEnv: "staging",
    dataDir,
    secretsFile: undefined,
    host: "127.0.0.1",
    port: 0,
    logLevel: "silent",
    requireTimestamp: false,
    deployTimeoutMs: 60_000,
    hashKey: SECRET,
    webhookMaxBodyBytes: 25 * 1024 * 1024,
    maxBodyBytes: 64 * 1024,
    databaseUrl: undefined,
    pollIntervalMs: undefined,
    reconcileIntervalMs: undefined,
    retryLimit: 3,
    historyDays: 90,
    apiToken: undefined,
    waitMs: 300_000,
    leaseMs: 30_000,
    concurrency: 4,
    bodyBudgetBytes: 64 * 1024 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 512,
    github: undefined,
    publicUrl: undefined,
    ...overrides,
  };
}

/** A sync engine that stores jobs but never runs them, and records what it was asked to submit. */
export interface StubEngine extends SyncEngine {
  readonly submitted: NewJob[];
  readonly store: JobStore;
  closed: boolean;
}

/** A {@link StubEngine} over `store`: dedupe, cursors and supersede work as for real, nothing is synced. */
export function createStubEngine(store: JobStore): StubEngine {
  const submitted: NewJob[] = [];
  const engine: StubEngine = {
    submitted,
    store,
    closed: false,
    async submit(job) {
      submitted.push(job);
      return store.createJob(job);
    },
    get: (id) => store.getJob(id),
    list: (query) => store.listJobs(query),
    cancel: (id, force) => store.cancelJob(id, force, Date.now()),
    wait: (id) => store.getJob(id),
    idle: async () => undefined,
    async close() {
      engine.closed = true;
    },
  };
  return engine;
}

/** A SQLite store in memory, closed when the test ends. */
export async function memoryStore(): Promise<JobStore> {
  const store = await createSqliteStore({ path: ":memory:" });
  onTestFinished(() => store.close());
  return store;
}

/** A {@link MirrorFixture} whose repository holds the infra layout. */
export interface InfraFixture extends MirrorFixture {
  /** The commit holding {@link INFRA_FILES}. */
  initial: string;
}

export function createInfraFixture(): InfraFixture {
  const fixture = createMirrorFixture();
  return { ...fixture, initial: fixture.repo.commit(INFRA_FILES, "initial layout") };
}

/**
 * Options of a runner over `fixture` and `engine` (and its store), with no health checks and no catch-up at start;
 * `overrides` replace any of them (`healthChecks: undefined` restores the default checks).
 */
export function stubRunnerOptions(
  fixture: InfraFixture,
  engine: StubEngine,
  overrides: Partial<RunnerOptions> = {},
): RunnerOptions {
  return {
    settings: testSettings(fixture.repo.url, fixture.dataDir),
    git: fixture.mirror,
    engine,
    store: engine.store,
    healthChecks: {},
    catchUp: false,
    ...overrides,
  };
}

/** One line written by {@link createLineLogger}: its level and message beside the bindings and fields. */
export interface LoggedLine {
  [key: string]: unknown;
  level: string;
  msg: string | undefined;
  service?: unknown;
}

/** A logger that records every line, bindings and fields flattened into it, into `lines`. */
export function createLineLogger(lines: LoggedLine[], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: Record<string, unknown>, msg?: string) => {
    lines.push({ ...bindings, ...obj, level, msg });
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (more) => createLineLogger(lines, { ...bindings, ...more }),
  };
}

interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

/** A deep copy of a real GitHub example payload of `event`. */
export function examplePayload(event: string, index = 0): Record<string, unknown> {
  const example = examples.find((definition) => definition.name === event)?.examples[index];
  if (example === undefined) {
    throw new Error(`no example payload for ${event}[${index}]`);
  }
  return structuredClone(example);
}

/** A GitHub push payload (from the example of a branch push) describing `before..after` with the given files. */
export function pushPayload(options: {
  ref?: string;
  before: string;
  after: string;
  files?: { added?: string[]; modified?: string[]; removed?: string[] };
  forced?: boolean;
  deleted?: boolean;
}): Record<string, unknown> {
  const payload = examplePayload("push", 4);
  const { commits } = payload as { commits: Record<string, unknown>[] };
  const [template] = commits;
  const created = options.before === ZERO;
  return {
    ...payload,
    ref: options.ref ?? "refs/heads/main",
    before: options.before,
    after: options.after,
    created,
    deleted: options.deleted ?? false,
    forced: options.forced ?? false,
    commits:
      options.files === undefined
        ? []
        : [
            {
              ...template,
              id: options.after,
              added: options.files.added ?? [],
              modified: options.files.modified ?? [],
              removed: options.files.removed ?? [],
            },
          ],
  };
}

/** A `POST /webhook` request signed like GitHub signs it. */
export async function webhookRequest(
  payload: unknown,
  options: {
    event?: string | null;
    delivery?: string | null;
    secret?: string;
    form?: boolean;
    signature?: string | null;
  } = {},
): Promise<Request> {
  const json = typeof payload === "string" ? payload : JSON.stringify(payload);
  const body = options.form ? `payload=${encodeURIComponent(json)}` : json;
  const headers = new Headers({
    "content-type": options.form ? "application/x-www-form-urlencoded" : "application/json",
    "user-agent": "GitHub-Hookshot/test",
  });
  const event = options.event === undefined ? "push" : options.event;
  if (event !== null) {
    headers.set("x-github-event", event);
  }
  const delivery = options.delivery === undefined ? crypto.randomUUID() : options.delivery;
  if (delivery !== null) {
    headers.set("x-github-delivery", delivery);
  }
  const signature = options.signature === undefined ? await sign(options.secret ?? SECRET, body) : options.signature;
  if (signature !== null) {
    headers.set("x-hub-signature-256", signature);
  }
  return new Request("http://runner.test/webhook", { method: "POST", headers, body });
}

/** A signed CI request (`/deploy`, `/sync`): the plain body signature, or the timestamped one. */
export async function ciRequest(
  path: string,
  body: unknown,
  options: { secret?: string; timestamped?: boolean; timestamp?: number; nonce?: string; unsigned?: boolean } = {},
): Promise<Request> {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers = new Headers({ "content-type": "application/json" });
  const secret = options.secret ?? SECRET;
  if (options.timestamped) {
    const signed = await signRequest({ secret, body: text, timestamp: options.timestamp, nonce: options.nonce });
    for (const [name, value] of Object.entries(signed)) {
      headers.set(name, value);
    }
  } else if (!options.unsigned) {
    headers.set("x-hub-signature-256", await sign(secret, text));
  }
  return new Request(`http://runner.test${path}`, { method: "POST", headers, body: text });
}

/** A JSON response body; the fields tests read most are named so they can be read with a dot. */
export interface ResponseBody {
  [key: string]: unknown;
  status?: unknown;
  code?: unknown;
  error?: unknown;
  reason?: unknown;
  commit?: unknown;
  services?: unknown;
  skipped?: unknown;
  deployments?: unknown;
  known?: unknown;
  checks?: unknown;
}

/** The JSON body of a response. */
export async function json(response: Response): Promise<ResponseBody> {
  return (await response.json()) as ResponseBody;
}
