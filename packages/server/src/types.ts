// Public types of @iac/server. Sections are owned by one area each: the HTTP layer and settings, the git mirror,
// and the sync engine. The contracts between those areas are defined here first.

import type { DokployClient, FetchLike, KvReadResult, RetryOptions } from "@iac/sdk";
import type { CatalogService, EnvironmentConfig } from "@iac/sync";

// --- logging ---

/** Structured logger; pino satisfies it. `child` adds bindings (delivery, env, service, commit) to every line. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

// --- git mirror (contract between the HTTP layer and the sync engine) ---

/**
 * A bare mirror of the infrastructure repository under `IAC_DATA_DIR`. Every read names an exact commit, so two
 * syncs at different commits never share a working tree. Implementations run the real `git` binary with argument
 * arrays (never a shell) and validate every ref before it reaches git.
 */
export interface GitMirror {
  /** Fetches branches and tags from the remote into the mirror (clones it first when missing). */
  fetch(): Promise<void>;
  /** Resolves a branch, tag or 40-hex commit to a commit SHA; null when it does not exist. */
  resolveCommit(ref: string): Promise<string | null>;
  /** Whether `refs/tags/<tag>` exists in the mirror. */
  tagExists(tag: string): Promise<boolean>;
  /** Every file path (blobs only, `/`-separated) in the tree of `commit`. */
  listFiles(commit: string): Promise<string[]>;
  /** The bytes of `path` at `commit`; null when the path is not a file there. */
  readFile(commit: string, path: string): Promise<Uint8Array | null>;
  /** Paths changed between two commits, renames reported on both sides. `before` may be absent (root commit). */
  diffPaths(before: string | null, after: string): Promise<string[]>;
}

/** Options of `createGitMirror`. */
export interface GitMirrorOptions {
  /** Remote URL (`https://`, `ssh://`, `git@host:path` or `file://`). */
  url: string;
  /** The mirror lives at `<dataDir>/mirror.git`. */
  dataDir: string;
  /** The branch webhook pushes target; fetched with every other branch and tag. */
  branch: string;
  /** The git binary; defaults to `git` on PATH. */
  git?: string | undefined;
  logger?: Logger | undefined;
  /** Upper bound of one fetch (default 120 s); the process is killed when it runs longer. */
  fetchTimeoutMs?: number | undefined;
  /** Upper bound of one local read (default 30 s). */
  readTimeoutMs?: number | undefined;
}

/** The Node implementation of {@link GitMirror}, with the extras the HTTP layer uses. */
export interface LocalGitMirror extends GitMirror {
  /** Absolute or relative path of the bare repository. */
  readonly path: string;
  /** Whether a fetch has completed at least once (now or in an earlier process). */
  isCloned(): Promise<boolean>;
  /** Checks that the remote answers (`git ls-remote` of the branch); throws a `GitError` otherwise. */
  probeRemote(timeoutMs?: number): Promise<void>;
}

// --- sync engine ---

/**
 * Outcome of one service sync. `superseded`: the service was still queued when a newer job for the same
 * (env, service) arrived, so only the newer one runs ("latest wins").
 */
export type SyncStatus = "created" | "updated" | "skipped" | "failed" | "superseded";

/** Classified failure reasons; never a raw stack trace. */
export type SyncErrorCode =
  | "dokploy_auth_failed"
  | "dokploy_unreachable"
  | "dokploy_error"
  | "vault_permission_denied"
  | "vault_secret_missing"
  | "vault_unreachable"
  | "git_fetch_failed"
  | "config_invalid"
  | "service_not_found"
  /** The service belongs to a `manual` layer (e.g. bootstrap, the runner itself): never synced by the runner. */
  | "service_manual"
  | "deploy_failed"
  | "deploy_timeout"
  | "cancelled";

/** What one service sync did. */
export interface SyncResult {
  service: string;
  env: string;
  commit: string;
  status: SyncStatus;
  /** Present when status is "failed". `message` is safe to show: it never contains secrets. */
  error?: { code: SyncErrorCode; message: string } | undefined;
  /** IAC_CONFIG_HASH stored in Dokploy before the sync (null when none). */
  hashBefore: string | null;
  /** Hash of the content at `commit`; recorded in Dokploy only after a successful deploy. */
  hashAfter: string | null;
  /** Dokploy compose id and the id of the deployment row this sync waited for, when a deploy ran. */
  composeId?: string | undefined;
  dokployDeploymentId?: string | undefined;
  /** Present when status is "superseded": the id of the newer job that syncs the service instead. */
  supersededBy?: string | undefined;
  durationMs: number;
}

/** A request to sync some services of one environment at one commit. */
export interface SyncJobRequest {
  env: string;
  commit: string;
  /** Service names from the catalog at `commit`; the engine refuses manual-layer services. */
  services: string[];
  trigger: "webhook" | "deploy" | "sync";
  /** GitHub delivery id or another correlation id; appears on every log line. */
  delivery?: string | undefined;
  triggeredBy?: string | undefined;
}

/** A job's public state, as reported by the engine. */
export interface SyncJob {
  /** Runner-side deployment id returned to callers (not a Dokploy id). */
  id: string;
  request: SyncJobRequest;
  state: "queued" | "running" | "succeeded" | "failed" | "superseded";
  results: SyncResult[];
  createdAt: string;
  finishedAt?: string | undefined;
}

/** The sync engine: runs jobs in the background, one service at a time per (env, service). */
export interface SyncEngine {
  /** Queues a job and returns at once; the job runs in the background. */
  start(request: SyncJobRequest): SyncJob;
  /** A job by id, or undefined. */
  get(id: string): SyncJob | undefined;
  /** Resolves when nothing is queued or running (used by tests and graceful shutdown). */
  idle(): Promise<void>;
  /** Stops accepting jobs and waits for running ones to settle. */
  close(): Promise<void>;
}

/** Time source of the engine; tests inject one whose `sleep` advances a fake clock instead of waiting. */
export interface SyncClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** Dokploy connection of the sync engine. */
export interface SyncDokployOptions {
  /** Dokploy base URL without `/api`, e.g. `https://dokploy.example.com`. */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number | undefined;
  /** Retries of reads and idempotent writes (never of `compose.deploy`); `false` disables them. */
  retry?: RetryOptions | false | undefined;
}

/** Vault connection of the sync engine: a token, or an AppRole login that is renewed or redone near expiry. */
export interface SyncVaultOptions {
  /** Vault address without `/v1`, e.g. `https://vault.example.com`. */
  address: string;
  namespace?: string | undefined;
  /** A static token (`VAULT_TOKEN`). Used when `appRole` is absent. */
  token?: string | undefined;
  /** AppRole credentials (`VAULT_ROLE_ID`, `VAULT_SECRET_ID`); `mount` defaults to `approle`. */
  appRole?: { roleId: string; secretId: string; mount?: string | undefined } | undefined;
  /** Retries of secret reads (never of logins or renewals); `false` disables them. */
  retry?: RetryOptions | false | undefined;
}

/** Everything the sync engine needs; the HTTP layer builds it from its settings. */
export interface SyncEngineOptions {
  /** The bare mirror every file is read from, always at an exact commit. */
  git: GitMirror;
  dokploy: SyncDokployOptions;
  /** Absent when no service declares Vault paths; a service that declares some then fails with `vault_unreachable`. */
  vault?: SyncVaultOptions | undefined;
  /** Key of the keyed hash over secret values (e.g. `WEBHOOK_SECRET`), so stored hashes reveal nothing about secrets. */
  hashKey: string;
  logger: Logger;
  /** Services synced at the same time across all jobs. Default 2. */
  concurrency?: number | undefined;
  /** How long one deploy may take before the service fails with `deploy_timeout`. Default 15 minutes. */
  deployTimeoutMs?: number | undefined;
  /** Interval between `deployment.allByCompose` polls. Default 3 seconds. */
  pollIntervalMs?: number | undefined;
  /** Finished jobs kept in memory for `get(id)`. Default 200. */
  historyLimit?: number | undefined;
  clock?: SyncClock | undefined;
  /** Fetch used for Dokploy and Vault; defaults to `globalThis.fetch` at call time. */
  fetch?: FetchLike | undefined;
  /** `INTERNAL_DOMAIN` handed to every service (the runner's own setting); omitted from the env when absent. */
  internalDomain?: string | undefined;
}

/** A KV v2 secret location: the mount and the secret's path inside it. */
export interface VaultLocation {
  mount: string;
  path: string;
}

/** Reads KV v2 secrets with a token that the session keeps valid (renewal, AppRole re-login). */
export interface VaultSession {
  /**
   * Reads one secret; a network failure rejects, every HTTP outcome resolves. Lines about this read (a renewal, a new
   * login) go to `logger` when given, so they carry the bindings of the sync that asked.
   */
  read(location: VaultLocation, logger?: Logger | undefined): Promise<KvReadResult>;
}

/** What `syncService` needs besides the target; `createSyncContext` builds it from {@link SyncEngineOptions}. */
export interface SyncContext {
  git: GitMirror;
  dokploy: DokployClient;
  /** Undefined when no Vault is configured. */
  vault: VaultSession | undefined;
  /** `VAULT_ADDR` handed to services. */
  vaultAddress: string | undefined;
  internalDomain: string | undefined;
  hashKey: string;
  clock: SyncClock;
  deployTimeoutMs: number;
  pollIntervalMs: number;
}

/** One service of one environment at one commit, as `syncService` syncs it. */
export interface SyncTarget {
  commit: string;
  /** Environment name as requested. */
  env: string;
  environment: EnvironmentConfig;
  service: CatalogService;
  /** Logger already bound to delivery, env, service and commit. */
  logger: Logger;
}

// --- runner and settings ---

/** pino's level names; `silent` turns logging off. */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** The runner's configuration, read from the environment and the secrets file by `loadSettings`. */
export interface RunnerSettings {
  /** `WEBHOOK_SECRET`: signs GitHub deliveries and CI requests. Never empty. */
  webhookSecret: string;
  /** `WEBHOOK_SECRET_PREVIOUS`: still accepted while a rotation is in progress. */
  webhookSecretPrevious: string | undefined;
  /** `GIT_REPO_URL`. */
  gitRepoUrl: string;
  /** `GIT_BRANCH` (default `main`): the branch whose pushes are synced. */
  gitBranch: string;
  /** `DOKPLOY_URL` + `DOKPLOY_API_KEY`. */
  dokploy: SyncDokployOptions;
  /** `VAULT_ADDR` + `VAULT_TOKEN` (or `VAULT_APP_TOKEN`) or `VAULT_ROLE_ID` + `VAULT_SECRET_ID`. */
  vault: SyncVaultOptions | undefined;
  /** `INTERNAL_DOMAIN`. */
  internalDomain: string | undefined;
  /** `DEPLOY_ENV` (default `staging`): the environment webhook pushes and `/sync` deploy to. */
  deployEnv: string;
  /** `IAC_DATA_DIR` (default `./.iac-runner`): the git mirror lives here. */
  dataDir: string;
  /** `IAC_SECRETS_FILE`: the dotenv file whose values override the environment, when one is used. */
  secretsFile: string | undefined;
  /** `HOST` (default `0.0.0.0`). */
  host: string;
  /** `PORT` (default `8080`; `0` picks a free port). */
  port: number;
  /** `LOG_LEVEL` (default `info`). */
  logLevel: LogLevel;
  /** `IAC_REQUIRE_TIMESTAMP` (default false): `/deploy` and `/sync` accept only the timestamped signature. */
  requireTimestamp: boolean;
  /** `IAC_DEPLOY_TIMEOUT_SECONDS` (default 900), in milliseconds. */
  deployTimeoutMs: number;
  /** `IAC_HASH_KEY` (default `WEBHOOK_SECRET`): key of the keyed hash over secret values in config hashes. */
  hashKey: string;
  /** `IAC_WEBHOOK_MAX_BODY_BYTES` (default 25 MiB, GitHub's own limit). */
  webhookMaxBodyBytes: number;
  /** `IAC_MAX_BODY_BYTES` (default 64 KiB): limit of every other endpoint. */
  maxBodyBytes: number;
}

/**
 * Remembers keys for a while: request nonces (replay protection) and GitHub delivery ids (redelivery dedupe). The
 * in-memory store is the default; a shared one (e.g. Redis `SET NX PX`) can be injected when several runners share
 * a queue.
 */
export interface ReplayStore {
  /** Records `key` for `ttlMs`; resolves to false when it is already recorded and not yet expired. */
  claim(key: string, ttlMs: number): boolean | Promise<boolean>;
  /** Forgets `key`, so a request that failed can be retried with the same id. */
  release(key: string): void | Promise<void>;
}

/** A dependency check of `/health`: resolves when the dependency answers, rejects with a safe message otherwise. */
export type HealthCheck = (signal: AbortSignal) => Promise<void>;

/** The state of one health check as reported by `/health`. */
export interface HealthCheckState {
  /** `pending` until the first check finished; `degraded` only after several consecutive failures. */
  status: "ok" | "degraded" | "pending";
  consecutiveFailures: number;
  /** ISO time of the last finished check. */
  checkedAt: string | null;
  /** Last failure, safe to show (no URLs with credentials, no secrets). */
  error?: string | undefined;
}

/** Options of `createRunner`. Everything with a side effect can be injected; the rest is built from `settings`. */
export interface RunnerOptions {
  settings: RunnerSettings;
  /** Defaults to a bare mirror at `<IAC_DATA_DIR>/mirror.git`. */
  git?: GitMirror | undefined;
  /** Defaults to the built-in sync engine over Dokploy and Vault; an injected engine is not closed by `close()`. */
  engine?: SyncEngine | undefined;
  /** Defaults to a logger that drops everything. */
  logger?: Logger | undefined;
  clock?: SyncClock | undefined;
  /** Used for Dokploy, Vault and the health checks; defaults to `globalThis.fetch` at call time. */
  fetch?: typeof fetch | undefined;
  /** Nonces of timestamped CI requests (default: in memory). */
  nonces?: ReplayStore | undefined;
  /** GitHub delivery ids (default: in memory). */
  deliveries?: ReplayStore | undefined;
  /** Accepted secrets, current first, read on every request (default: from `settings`); lets a rotation apply live. */
  webhookSecrets?: (() => readonly string[] | Promise<readonly string[]>) | undefined;
  /** Replaces the default checks (git remote, Dokploy, Vault). */
  healthChecks?: Readonly<Record<string, HealthCheck>> | undefined;
  /** Minimum time between background health refreshes (default 30 s). */
  healthIntervalMs?: number | undefined;
  /** How long `/webhook` may work before it answers 202 and continues in the background (default 8 s). */
  webhookDeadlineMs?: number | undefined;
  /** Reported by `/health`; defaults to the package version. */
  version?: string | undefined;
}

/** The runner: a web-standard request handler (Node, Bun, Deno, ...) and its shutdown. */
export interface Runner {
  /** Answers one request; a bound property, so `Bun.serve({ fetch: runner.fetch })` works. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** Refuses new requests with 503, then closes what the runner created (the engine waits for running syncs). */
  close(): Promise<void>;
}
