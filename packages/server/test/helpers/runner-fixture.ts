import { createRequire } from "node:module";
import { sign, signRequest } from "@iac/sync";
import type { Logger, RunnerOptions, RunnerSettings, SyncEngine, SyncJob, SyncJobRequest } from "../../src/types.js";
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
    ...overrides,
  };
}

/** A sync engine that only records what it was asked to start. */
export interface StubEngine extends SyncEngine {
  readonly starts: SyncJobRequest[];
  closed: boolean;
}

export function createStubEngine(): StubEngine {
  const jobs = new Map<string, SyncJob>();
  const starts: SyncJobRequest[] = [];
  const engine: StubEngine = {
    starts,
    closed: false,
    start(request) {
      starts.push(request);
      const job: SyncJob = {
        id: `job-${starts.length}`,
        request,
        state: "queued",
        results: [],
        createdAt: new Date(0).toISOString(),
      };
      jobs.set(job.id, job);
      return job;
    },
    get: (id) => jobs.get(id),
    idle: async () => undefined,
    async close() {
      engine.closed = true;
    },
  };
  return engine;
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
 * Options of a runner over `fixture` and `engine`, with no health checks; `overrides` replace any of them
 * (`healthChecks: undefined` restores the default checks).
 */
export function stubRunnerOptions(
  fixture: InfraFixture,
  engine: SyncEngine,
  overrides: Partial<RunnerOptions> = {},
): RunnerOptions {
  return {
    settings: testSettings(fixture.repo.url, fixture.dataDir),
    git: fixture.mirror,
    engine,
    healthChecks: {},
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
