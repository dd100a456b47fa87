// Public types of @iac/server. Sections are owned by one area each: the HTTP layer and settings, the git mirror,
// and the sync engine. The contracts between those areas are defined here first.

import type { DokployClient, FetchLike, KvReadResult, RetryOptions } from "@iac/sdk";
import type { CatalogService, EnvironmentConfig, PlanReason } from "@iac/sync";

// --- logging ---

/** Structured logger; pino satisfies it. `child` adds bindings (delivery, env, service, commit) to every line. */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
  /** Whether lines of `level` are written (pino has it); when present, the runner skips building lines that are not. */
  isLevelEnabled?(level: LogLevel): boolean;
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
  /** Whether `ancestor` is `descendant` or one of its ancestors; false when either commit is unknown. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
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
  /**
   * Fetches `refs/pull/<number>/head` from the remote into the mirror under the same name: the head of a pull request
   * from a fork, which the branch fetch never brings. Throws a `TypeError` for a number that is not a positive
   * integer, a `GitError` when the fetch fails.
   */
  fetchPullHead(number: number): Promise<void>;
  /** The best common ancestor of two commits; null when they share none (or either is unknown). */
  mergeBase(a: string, b: string): Promise<string | null>;
  /** Checks that the remote answers (`git ls-remote` of the branch); throws a `GitError` otherwise. */
  probeRemote(timeoutMs?: number): Promise<void>;
  /** Why the last fetch failed (even in a fresh repository); undefined once a fetch worked, or before any. */
  fetchFailure(): string | undefined;
  /**
   * Stops the long-lived `git cat-file` process and resolves once it exited. Idempotent; afterwards every read and
   * fetch fails with a `GitError` ("the mirror is closed") instead of starting git again. The runner closes the
   * mirror it created itself, never one passed in as `git`.
   */
  close(): Promise<void>;
}

// --- sync engine ---

/**
 * Outcome of one service sync. `superseded`: the service was still queued when a newer job for the same
 * (env, service) arrived, so only the newer one runs ("latest wins"). `cancelled`: stopped by a cancel request; nothing
 * was recorded for it.
 */
export type SyncStatus = "created" | "updated" | "skipped" | "failed" | "superseded" | "cancelled";

/** Classified failure reasons; never a raw stack trace. See `isTransient` for which ones are retried. */
export type SyncErrorCode =
  | "dokploy_auth_failed"
  | "dokploy_unreachable"
  | "dokploy_error"
  /** `compose.deploy` got no answer and no deployment row appeared afterwards: retried after settling with Dokploy. */
  | "deploy_unconfirmed"
  | "vault_permission_denied"
  | "vault_secret_missing"
  | "vault_unreachable"
  | "git_fetch_failed"
  | "config_invalid"
  | "deploy_failed"
  | "deploy_timeout"
  /** The deploy ended `done` but the service's `probe` never answered 2xx within its `timeoutSeconds`. */
  | "probe_failed"
  | "cancelled"
  /** The job store could not be written (e.g. the deploy marker before `compose.deploy`). */
  | "store_unavailable";

/** What Dokploy was asked when a running sync was cancelled, and how it answered. */
export interface CancelAction {
  action: "compose.cleanQueues" | "compose.killBuild";
  ok: boolean;
  /** Safe to show; present when `ok` is false. */
  error?: string | undefined;
}

/** What one service sync did. */
export interface SyncResult {
  service: string;
  env: string;
  commit: string;
  status: SyncStatus;
  /** Present when status is "failed" or "cancelled". `message` is safe to show: it never contains secrets. */
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
  /** Present when status is "cancelled" and Dokploy was asked to drop or kill work. */
  cancelActions?: CancelAction[] | undefined;
  durationMs: number;
}

/**
 * Written to the store just before `compose.deploy` is called, so that the next attempt (after a lost answer, a crash
 * or on another runner) can tell whether Dokploy ran that deploy: a deployment row of `composeId` that is not in
 * `knownDeployments` is the one this marker asked for.
 */
export interface DeployMarker {
  composeId: string;
  /** The config hash of the content handed to Dokploy before the deploy call. */
  hash: string;
  /** Deployment ids of the compose that existed before the deploy call. */
  knownDeployments: string[];
  /** Whether Dokploy held no compose for the service before this sync (the result is then `created`). */
  created: boolean;
}

/** How the job came to be. */
export type JobTrigger = "webhook" | "deploy" | "sync" | "catchup" | "rollback" | "reconcile";

/** States of a job and of each of its services; the last four are terminal. */
export type JobState = "queued" | "running" | "succeeded" | "failed" | "superseded" | "cancelled";

/** One service of a job: what the plan said and what happened. */
export interface JobService {
  service: string;
  state: JobState;
  /** Why the plan included the service (changed paths, requested by name, ...). */
  reason: PlanReason;
  /** Attempts started so far (retries of transient failures included). */
  attempts: number;
  /** The last attempt's result; null while nothing finished. */
  result: SyncResult | null;
}

/** A job: one resolved plan (environment, commit, services with reasons) and the state of each service. */
export interface SyncJob {
  /** Runner-side deployment id returned to callers (not a Dokploy id). */
  id: string;
  env: string;
  commit: string;
  trigger: JobTrigger;
  state: JobState;
  /** GitHub delivery id, or the request id of a CI request. */
  delivery: string | null;
  triggeredBy: string | null;
  /** Tag or ref as the `/deploy` request named it. */
  tag: string | null;
  ref: string | null;
  /** The staging tag a production `/deploy` promotes (its `staging_tag`, checked to be at `commit`). */
  promotedFrom: string | null;
  /** Set on a rollback job (trigger `rollback`): the id of the failed job whose service it redeploys. */
  rollbackOf: string | null;
  services: JobService[];
  createdAt: string;
  finishedAt: string | null;
}

/** Filters of {@link JobStore.listJobs}; newest first. */
export interface JobQuery {
  env?: string | undefined;
  /** Jobs that include this service. */
  service?: string | undefined;
  state?: JobState | undefined;
  /** 1 to 100. */
  limit: number;
  /** Opaque cursor of the previous page. */
  cursor?: string | undefined;
}

/** One page of jobs; `nextCursor` is null on the last page. */
export interface JobPage {
  jobs: SyncJob[];
  nextCursor: string | null;
}

/** One service of a job to create, with everything a runner needs to sync it without re-reading the catalog. */
export interface NewJobService {
  service: CatalogService;
  reason: PlanReason;
}

/** A job to store, resolved from a request by `resolvePlan`. */
export interface NewJob {
  id: string;
  env: string;
  commit: string;
  trigger: JobTrigger;
  environment: EnvironmentConfig;
  services: NewJobService[];
  delivery: string | null;
  triggeredBy: string | null;
  tag: string | null;
  ref: string | null;
  promotedFrom: string | null;
  /** The failed job a rollback job undoes (see {@link SyncJob.rollbackOf}). */
  rollbackOf?: string | null | undefined;
  /** ISO time. */
  createdAt: string;
  /**
   * Set for jobs that follow the branch (push, catch-up, `/sync` of every service): the job is created only while
   * the environment's planned commit still equals `expected` (compare-and-set), which then becomes `commit`. When the
   * job ends with every service succeeded, the environment's synced commit becomes `commit` (never moving back).
   */
  cursor?: { expected: string | null } | undefined;
  /**
   * Dedupe of GitHub deliveries: a second job with the same key is refused (the earlier job is answered) unless the
   * earlier job failed or was cancelled, in which case the key moves to the new job.
   */
  deliveryKey?: string | undefined;
  /** Dedupe of plain-signed CI requests: any earlier job with the same key is answered; kept `requestKeyTtlMs`. */
  requestKey?: { key: string; ttlMs: number } | undefined;
  /**
   * For jobs decided from what the lanes held when they were read (drift corrections, rollbacks): per service, the id
   * of the newest job of its (env, service) lane then, or null for none. The job is created only while every lane
   * still has that newest job (checked in the same transaction, after the dedupe keys); else nothing is stored and
   * the answer is `lane_moved`, so a job that arrived meanwhile is never superseded or undone by this one.
   */
  expectedNewest?: Readonly<Record<string, string | null>> | undefined;
}

/** What {@link JobStore.createJob} did. */
export type CreateJobResult =
  | { status: "created"; job: SyncJob }
  /** An equal job is in flight (same env, commit and services), or the delivery or request key is known. */
  | { status: "duplicate"; job: SyncJob }
  /** `cursor.expected` no longer matches: another job moved the planned commit; re-plan from `planned`. */
  | { status: "cursor_moved"; planned: string | null }
  /** A lane of `expectedNewest` has another newest job now (`newest`, null for none); nothing was stored. */
  | { status: "lane_moved"; service: string; newest: string | null };

/** A {@link CreateJobResult} that names a job: created, or an equal one found. */
export type StoredJobResult = Extract<CreateJobResult, { job: SyncJob }>;

/** The branch position of one environment. */
export interface EnvironmentCursor {
  /** Commit of the newest branch-following job (planned, maybe still running or failed). */
  planned: string | null;
  /** Commit of the newest branch-following job that succeeded for every service. */
  synced: string | null;
}

/** One service of one job, claimed by a runner for one attempt. */
export interface ClaimedTask {
  jobId: string;
  env: string;
  commit: string;
  environment: EnvironmentConfig;
  service: CatalogService;
  delivery: string | null;
  trigger: JobTrigger;
  /** 1 for the first attempt. */
  attempt: number;
  /** Left by an earlier attempt that called `compose.deploy`; settle it before deploying again. */
  marker: DeployMarker | null;
  /** Set when a cancel was requested while the task was running (e.g. before a crash). */
  cancel: "cancel" | "force" | null;
}

/** What {@link JobStore.renewLease} found. */
export type LeaseState = "held" | "lost" | "cancel" | "force";

/** What {@link JobStore.lastSuccessfulSync} finds: the job and the definitions it synced the service with. */
export interface LastSuccessfulSync {
  jobId: string;
  commit: string;
  /** The catalog entry stored with that job. */
  service: CatalogService;
  /** The environment config stored with that job. */
  environment: EnvironmentConfig;
}

/** What {@link JobStore.cancelJob} did. */
export interface CancelOutcome {
  job: SyncJob;
  /** Services that were queued and are now `cancelled`. */
  dequeued: string[];
  /** Services that are running: their runner stops them (`compose.cleanQueues`, and `compose.killBuild` with force). */
  stopping: string[];
}

/**
 * Durable state of the runner: jobs and their services, delivery and request dedupe, nonces, environment cursors and
 * leases. Every method is atomic. Two implementations pass the same conformance suite: SQLite (one runner process)
 * and PostgreSQL (any number of runner processes). Times are epoch milliseconds passed in by the caller.
 */
export interface JobStore {
  /**
   * Stores a job and its services in one transaction; supersedes queued services of other jobs in the same lanes.
   * Answers an existing job instead when a dedupe key is known or an equal job is in flight (`duplicate`), and
   * stores nothing when the cursor moved (`cursor_moved`) or a lane of `expectedNewest` has another newest job
   * (`lane_moved`).
   */
  createJob(job: NewJob): Promise<CreateJobResult>;
  getJob(id: string): Promise<SyncJob | undefined>;
  listJobs(query: JobQuery): Promise<JobPage>;
  /**
   * Claims the oldest runnable service: queued with its retry time passed, or running with an expired lease (its
   * runner died), and with no other running service in its (env, service) lane. Marks it running for `runnerId`
   * until `now + leaseMs` and counts an attempt. A queued service whose lane has a newer job (neither cancelled nor
   * superseded) is ended `superseded` instead, naming the newest, so an older job never runs after a newer one: this
   * happens to a retry whose first attempt was running when the newer job was created.
   */
  claimTask(runnerId: string, now: number, leaseMs: number): Promise<ClaimedTask | undefined>;
  /** Extends the lease of a running service held by `runnerId`; tells when it was lost or a cancel was requested. */
  renewLease(jobId: string, service: string, runnerId: string, now: number, leaseMs: number): Promise<LeaseState>;
  /** Records (or clears, with null) the deploy marker of a running service held by `runnerId`. */
  saveMarker(jobId: string, service: string, runnerId: string, marker: DeployMarker | null): Promise<boolean>;
  /**
   * Ends a running service held by `runnerId` (`succeeded`, `failed` or `cancelled`) with its result, clears its
   * marker, and ends the job when it was the last one. False when the runner no longer holds it.
   */
  completeTask(
    jobId: string,
    service: string,
    runnerId: string,
    state: "succeeded" | "failed" | "cancelled",
    result: SyncResult,
    now: number,
  ): Promise<boolean>;
  /** Puts a running service held by `runnerId` back in the queue until `notBefore`, keeping its marker. */
  retryTask(
    jobId: string,
    service: string,
    runnerId: string,
    notBefore: number,
    result: SyncResult,
    now: number,
  ): Promise<boolean>;
  /** Cancels queued services at once and flags running ones; undefined for an unknown job. */
  cancelJob(id: string, force: boolean, now: number): Promise<CancelOutcome | undefined>;
  /** The job a delivery key or request key points to, if it is known (and, for a request key, not expired). */
  jobByKey(key: string, now: number): Promise<SyncJob | undefined>;
  /** Whether any service is queued or running, for `idle()` and shutdown. */
  hasPendingWork(): Promise<boolean>;
  /**
   * The newest job service of the (env, service) lane that succeeded (created, updated or skipped): what a rollback
   * redeploys. Undefined when the lane has none (or only older ones that were pruned).
   */
  lastSuccessfulSync(env: string, service: string): Promise<LastSuccessfulSync | undefined>;
  cursor(env: string): Promise<EnvironmentCursor>;
  /** Sets both commits of an environment that has none yet (a first catch-up); false when it already has one. */
  initCursor(env: string, commit: string): Promise<boolean>;
  /** Records a nonce or other one-time key for `ttlMs`; false when it is already recorded and not expired. */
  claimKey(key: string, ttlMs: number, now: number): Promise<boolean>;
  /** Takes or renews the named lease for `holder`; false while another holder's lease runs. */
  acquireLease(name: string, holder: string, now: number, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  /**
   * Keeps `report` as the last drift detection round of its environment, for every runner sharing the store to show;
   * a round checked before the one kept already is dropped (a slow runner's older round never replaces a newer one).
   */
  saveDriftReport(report: DriftRoundReport): Promise<void>;
  /** The last drift detection round kept for `env`, whichever runner ran it; undefined when none was kept. */
  driftReport(env: string): Promise<DriftRoundReport | undefined>;
  /**
   * Claims the oldest job whose reports are due for `holder` until `now + leaseMs`: never reported yet, or reported
   * `started` and now terminal; past its retry time; not held by a live claim. Undefined when none is due.
   */
  claimReport(holder: string, now: number, leaseMs: number): Promise<ClaimedReport | undefined>;
  /** Records what the reporters did with a claimed job and releases it; false when `holder` no longer holds it. */
  saveReport(jobId: string, holder: string, outcome: ReportOutcome): Promise<boolean>;
  /** How many jobs are in each state (every state present, 0 when none), for `GET /metrics`. */
  countJobs(): Promise<Record<JobState, number>>;
  /** How many services wait in the queue (state `queued`, retries waiting for their time included). */
  countQueuedTasks(): Promise<number>;
  /** Deletes finished jobs (and their keys) that finished before `before`, and expired keys; returns jobs deleted. */
  prune(before: number, now: number): Promise<number>;
  close(): Promise<void>;
}

/** Options of the built-in engine besides {@link SyncEngineOptions}: how it shares work through the store. */
export interface SyncEngineTiming {
  /** How long a claimed service is held without a heartbeat before another runner may take it over. */
  leaseMs?: number | undefined;
  /** How often the store is asked for runnable work (another runner's jobs, due retries). */
  claimIntervalMs?: number | undefined;
  /** Retries of a transient failure (`IAC_RETRY_LIMIT`). */
  retryLimit?: number | undefined;
  /** First retry delay; doubles with each attempt. */
  retryBaseMs?: number | undefined;
}

/**
 * The sync engine: stores jobs and runs their services in the background through the store, at most one sync per
 * (env, service) across every runner sharing the store. Every method may reject when the store is unreachable.
 */
export interface SyncEngine {
  /** Stores a resolved job (see {@link JobStore.createJob}) and wakes the workers; the job runs in the background. */
  submit(job: NewJob): Promise<CreateJobResult>;
  /** A job by id, or undefined. */
  get(id: string): Promise<SyncJob | undefined>;
  list(query: JobQuery): Promise<JobPage>;
  /** Cancels a job: queued services end at once, running ones are stopped by their runner. */
  cancel(id: string, force: boolean): Promise<CancelOutcome | undefined>;
  /** Resolves with the job once it is terminal, or as it is after `timeoutMs`; undefined for an unknown job. */
  wait(id: string, timeoutMs: number): Promise<SyncJob | undefined>;
  /** Resolves when nothing is queued or running in the store (used by tests and the demo). */
  idle(): Promise<void>;
  /** Stops claiming work and waits for the services this process runs to settle (they stay resumable). */
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
export interface SyncEngineOptions extends SyncEngineTiming {
  /** The bare mirror every file is read from, always at an exact commit. */
  git: GitMirror;
  dokploy: SyncDokployOptions;
  /** Absent when no service declares Vault paths; a service that declares some then fails with `vault_unreachable`. */
  vault?: SyncVaultOptions | undefined;
  /** Key of the keyed hash over secret values (e.g. `WEBHOOK_SECRET`), so stored hashes reveal nothing about secrets. */
  hashKey: string;
  logger: Logger;
  /** Where jobs live; shared by every runner process of a deployment. */
  store: JobStore;
  /** Identifies this process in leases; defaults to a random id. */
  runnerId?: string | undefined;
  /**
   * Syncs of this process that talk to Dokploy at the same time (`IAC_CONCURRENCY`); a sync waiting for its deploy
   * to end does not count, it only keeps its (env, service) lane. Default 4.
   */
  concurrency?: number | undefined;
  /** How long one deploy may take before the service fails with `deploy_timeout`. Default 15 minutes. */
  deployTimeoutMs?: number | undefined;
  /**
   * Longest interval between `deployment.allByCompose` polls: they start 100 ms apart and double up to it. Default
   * 3 seconds.
   */
  pollIntervalMs?: number | undefined;
  clock?: SyncClock | undefined;
  /** Fetch used for Dokploy, Vault and the services' probes; defaults to `globalThis.fetch` at call time. */
  fetch?: FetchLike | undefined;
  /** `INTERNAL_DOMAIN` handed to every service (the runner's own setting); omitted from the env when absent. */
  internalDomain?: string | undefined;
  /**
   * Told of every finished sync attempt (the runner counts them for `GET /metrics`). It cannot change the sync: what
   * it throws or rejects with is logged and dropped.
   */
  onResult?: ((result: SyncResult, attempt: SyncAttempt) => void) | undefined;
}

/** Which attempt of which job a {@link SyncResult} given to `onResult` ended. */
export interface SyncAttempt {
  jobId: string;
  trigger: JobTrigger;
  /** 1 for the first attempt. */
  attempt: number;
  /** A transient failure that goes back to the queue for another attempt (`result.status` is `failed`). */
  retrying: boolean;
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
  /** Used for the services' post-deploy probes. */
  fetch: FetchLike;
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
  /**
   * Deploy even when the stored hash matches: a drift correction (trigger `reconcile`) of a service whose last
   * deployment failed or never finished behind a hash that still says it runs.
   */
  redeploy?: boolean | undefined;
  /** The deploy marker an earlier attempt left; its deploy is settled before anything is deployed again. */
  marker?: DeployMarker | null | undefined;
  /** Persists the marker before `compose.deploy` is called (the call is not made when this rejects). */
  onDeploy?: ((marker: DeployMarker) => Promise<void>) | undefined;
  /** Aborted with `{ force: boolean }` as its reason when the job is cancelled. */
  signal?: AbortSignal | undefined;
  /**
   * Runs the wait for the end of the deploy: the engine lends the sync's work slot to another sync meanwhile and
   * settles once the slot is held again. Without it the wait simply runs.
   */
  whileWaiting?: (<T>(wait: () => Promise<T>) => Promise<T>) | undefined;
  /**
   * Runs `work` while no other runner sharing the job store runs work under the same key; creating a missing Dokploy
   * project, environment or compose goes through it. A wait for it ends when `signal` (the sync's) aborts. Without it
   * the work runs under a lock within the process.
   */
  lock?: (<T>(key: string, work: () => Promise<T>, signal?: AbortSignal) => Promise<T>) | undefined;
}

// --- reports (GitHub statuses, notifications, rollback) ---

/** A JSON value a reporter keeps between the phases of one job (e.g. the id of the GitHub deployment it created). */
export type ReportMemo = string | number | boolean | null | ReportMemo[] | { [key: string]: ReportMemo };

/**
 * What a job's reporters are told. Each job is reported twice at most, in order: `started` once it is stored (skipped
 * when it ended before its reports ran) and `finished` once it is terminal. Delivered at least once: a reporter may
 * see the same phase again after a crash or a failed attempt, so it must be idempotent (or harmless when repeated).
 */
export interface JobReport {
  phase: "started" | "finished";
  /** The job as the store holds it when the report is delivered. */
  job: SyncJob;
  /** The environment's settings at the job's commit (`rollback`, `reconcile`, `notify`, ...). */
  environment: EnvironmentConfig;
}

/** The phases of a job's reports; `none` before the first was delivered. */
export type ReportPhase = "started" | "finished";

/** How far one reporter got with one job, kept in the store between attempts. */
export interface ReporterProgress {
  /** The last phase it delivered (or gave up on); null before any. */
  phase: ReportPhase | null;
  /** What it returned (or what a `ReportPartial` carried) for that job. */
  memo: ReportMemo;
  /** Failed attempts since its last delivery (0 after one). */
  attempts: number;
}

/** A job whose reports are due, claimed by one runner until `leaseMs` passed (see {@link JobStore.claimReport}). */
export interface ClaimedReport {
  /** `finished` once the job is terminal, else `started`. */
  phase: ReportPhase;
  job: SyncJob;
  environment: EnvironmentConfig;
  /** Reporter name → its progress; reporters never run for this job are absent. */
  progress: Record<string, ReporterProgress>;
}

/** What {@link JobStore.saveReport} writes. */
export interface ReportOutcome {
  /** The phase every reporter is done with (`none` while the first is still being retried). */
  sent: ReportPhase | "none";
  progress: Record<string, ReporterProgress>;
  /** Epoch ms before which the job's reports are not claimed again (0: at once). */
  notBefore: number;
}

/**
 * One destination of job reports: the GitHub API, a notification channel, the rollback trigger. Reports are read
 * from the store and retried with backoff by the runner's reporter, never on the path of a deploy.
 */
export interface JobReporter {
  /** Stable name, kept with each job's progress in the store (`github`, `notify`, `rollback`). */
  readonly name: string;
  /**
   * Delivers one phase; `memo` is what this reporter returned for the job's earlier phase (null at first). Resolves
   * with the memo to keep. Rejecting means "try again later" (a `ReportPartial` also keeps its memo: what went out);
   * reject with a `ReportRefused` (both in src/report/report-refused.ts) to give up at once
   * (the report can never succeed, e.g. the target says the request is invalid).
   */
  deliver(report: JobReport, memo: ReportMemo): Promise<ReportMemo>;
}

/**
 * Reads one of the runner's variables by name (without the `$`), as `notify` entries name them: the secrets file's
 * value over the process environment's. Undefined when it is not set.
 */
export type VariableLookup = (name: string) => string | undefined | Promise<string | undefined>;

/** Options of `createNotifyReporter`. */
export interface NotifyReporterOptions {
  /** Resolves the `$NAME` of a target's `url` and `secret`. */
  lookup: VariableLookup;
  /** Defaults to the global `fetch`. */
  fetch?: FetchLike | undefined;
  /** The runner's base URL as receivers reach it; messages then link to `<publicUrl>/deployments/<id>`. */
  publicUrl?: string | undefined;
  logger?: Logger | undefined;
  /** How long one target may take to answer before the attempt counts as failed (retried). Default 10000. */
  timeoutMs?: number | undefined;
}

/** One service of a {@link JobNotification}. */
export interface ServiceNotification {
  service: string;
  state: JobState;
  /** The last attempt's status; null when no attempt finished (e.g. cancelled while queued). */
  status: SyncStatus | null;
  hashBefore: string | null;
  hashAfter: string | null;
  durationMs: number | null;
  attempts: number;
  /** `message` is safe to show: it never contains secrets. */
  error: { code: SyncErrorCode; message: string } | null;
  supersededBy: string | null;
}

/** The JSON body of a `webhook` notification (`X-Iac-Event: job.finished`). New fields may appear within a version. */
export interface JobNotification {
  version: 1;
  event: "job.finished";
  job: {
    id: string;
    /** `<publicUrl>/deployments/<id>`; null when the runner has no public URL. */
    url: string | null;
    env: string;
    state: JobState;
    trigger: JobTrigger;
    commit: string;
    tag: string | null;
    ref: string | null;
    promotedFrom: string | null;
    rollbackOf: string | null;
    triggeredBy: string | null;
    createdAt: string;
    finishedAt: string | null;
    durationMs: number | null;
  };
  services: ServiceNotification[];
}

/** How the runner reaches the GitHub REST API of the infrastructure repository. */
export interface GithubClientOptions {
  /** A token allowed to write to `repository` what the runner writes there. Never logged. */
  token: string;
  /** `owner/name` of the infrastructure repository. */
  repository: string;
  /** REST API root (default `https://api.github.com`); GitHub Enterprise Server: `https://<host>/api/v3`. */
  apiUrl?: string | undefined;
  /** Defaults to `globalThis.fetch` at call time. */
  fetch?: typeof fetch | undefined;
  logger?: Logger | undefined;
  /** Upper bound of one API request (default 30 s); a request that runs longer is retried later. */
  timeoutMs?: number | undefined;
}

/** Options of `createGithubReporter`: where the commit statuses and deployments of jobs go. */
export interface GithubReporterOptions extends GithubClientOptions {
  /** The runner's external base URL (base path included): statuses then link to `<publicUrl>/deployments/<job id>`. */
  publicUrl?: string | undefined;
}

/** `GITHUB_TOKEN`, `GITHUB_API_URL` and `GITHUB_REPOSITORY`: where jobs are reported on GitHub. */
export interface GithubSettings {
  /** `GITHUB_TOKEN`. */
  token: string;
  /** `GITHUB_API_URL` (default `https://api.github.com`), without a trailing slash. */
  apiUrl: string;
  /** `GITHUB_REPOSITORY`, else the `owner/name` path of `GIT_REPO_URL`. */
  repository: string;
}

// --- plans on pull requests ---

/** A pull request to plan, as its `pull_request` delivery names it. */
export interface PullRequestRef {
  /** The pull request number (positive integer). */
  number: number;
  /** The head commit, lower-case. */
  head: string;
  /** The delivery that asked for this plan (`X-GitHub-Delivery`). */
  delivery: string;
}

/** What merging a pull request would do to one service of `DEPLOY_ENV`. */
export interface PullServicePlan {
  service: string;
  /** `deploy`: its config hash at the head differs from what Dokploy holds (or Dokploy has none yet). */
  action: "deploy" | "unchanged" | "unknown";
  /** The changed paths that select the service, sorted. */
  paths: string[];
  /** Why, in a few words: the sync's reason, or why the comparison failed (never a secret). */
  detail: string;
}

/** What merging a pull request would redeploy to `DEPLOY_ENV`, planned at its head commit. */
export interface PullPlan {
  env: string;
  number: number;
  head: string;
  /**
   * Why the configuration at the head cannot be used (`iac.config.yaml`, the service layout, or `DEPLOY_ENV` missing
   * from it), one line each; then `services` is empty. Empty when it is valid.
   */
  problems: string[];
  services: PullServicePlan[];
}

/** Plans pull requests in the background and posts each plan as a comment on the pull request. */
export interface PullPlanner {
  /**
   * Queues a plan of `pull`, replacing a plan of the same pull request not yet started or waiting to retry.
   * `duplicate`: the delivery was queued before (a redelivery), nothing is queued.
   */
  submit(pull: PullRequestRef): "queued" | "duplicate";
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
  /** Drops queued plans and waits for the running one. */
  close(): Promise<void>;
}

// --- runner and settings ---

/** pino's level names; `silent` turns logging off. */
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/**
 * The runner's configuration, read from the environment and the secrets file by `loadSettings`, or made from a
 * {@link SettingsInput} by `defineSettings`.
 */
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
  /** `IAC_DATABASE_URL` (`postgres://…`): PostgreSQL store shared by several runners; SQLite in `IAC_DATA_DIR` when unset. */
  databaseUrl: string | undefined;
  /** `IAC_POLL_INTERVAL` (`90`, `30s`, `5m`, `1h`; off by default), in milliseconds: catch-up fetches of the branch. */
  pollIntervalMs: number | undefined;
  /**
   * `IAC_RECONCILE_INTERVAL` (`90`, `30s`, `5m`, `1h`; off by default), in milliseconds: drift detection compares
   * Dokploy with the synced commit this often.
   */
  reconcileIntervalMs: number | undefined;
  /** `IAC_RETRY_LIMIT` (default 3): retries of a transient failure of one service. */
  retryLimit: number;
  /** `IAC_HISTORY_DAYS` (default 90): finished jobs are kept this long. */
  historyDays: number;
  /** `IAC_API_TOKEN`: bearer token of `GET /deployments` and cancel; those endpoints do not exist without it. */
  apiToken: string | undefined;
  /** `IAC_WAIT_SECONDS` (default 300), in milliseconds: how long a `"wait": true` request waits for its job. */
  waitMs: number;
  /** `IAC_LEASE_SECONDS` (default 30), in milliseconds: how long a dead runner's sync stays claimed. */
  leaseMs: number;
  /** `IAC_CONCURRENCY` (default 4): syncs of one runner that talk to Dokploy at once; waiting for a deploy is free. */
  concurrency: number;
  /** `IAC_BODY_BUDGET_BYTES` (default 64 MiB): request body bytes held at once beyond the first 64 KiB of each. */
  bodyBudgetBytes: number;
  /** `IAC_HEADERS_TIMEOUT_SECONDS` (default 10), in milliseconds: time a client has to send its headers. */
  headersTimeoutMs: number;
  /** `IAC_REQUEST_TIMEOUT_SECONDS` (default 30), in milliseconds: time a client has to send its whole request. */
  requestTimeoutMs: number;
  /** `IAC_KEEP_ALIVE_TIMEOUT_SECONDS` (default 5), in milliseconds: how long an idle connection stays open. */
  keepAliveTimeoutMs: number;
  /** `IAC_MAX_CONNECTIONS` (default 512): connections open at once; further ones are closed as they arrive. */
  maxConnections: number;
  /** `GITHUB_TOKEN` with `GITHUB_API_URL` and `GITHUB_REPOSITORY`; undefined without a token (nothing is reported). */
  github: GithubSettings | undefined;
  /** `IAC_PUBLIC_URL`: the runner's external base URL (base path included), without a trailing slash. */
  publicUrl: string | undefined;
}

/** One missing or invalid setting, as {@link SettingsError} reports it. */
export interface SettingsProblem {
  /** The field of {@link SettingsInput} at fault, e.g. `dokploy.apiKey`; undefined for a secrets file that cannot be read. */
  field: string | undefined;
  /** The environment variable at fault, e.g. `DOKPLOY_API_KEY`; undefined when the settings came from `defineSettings`. */
  variable: string | undefined;
  /** One line naming the variable (else the field), what was expected and what was received. Never a secret. */
  message: string;
}

/**
 * The runner's configuration written in code, for `defineSettings`: the same rules and defaults as the environment
 * variables named on each field. Only the webhook secret, the repository and Dokploy are required.
 */
export interface SettingsInput {
  /** `WEBHOOK_SECRET`: signs GitHub deliveries and CI requests. */
  webhookSecret: string;
  /** `WEBHOOK_SECRET_PREVIOUS`: still accepted while a rotation is in progress. */
  webhookSecretPrevious?: string | undefined;
  git: {
    /** `GIT_REPO_URL`: `https://`, `ssh://`, `file://` or `git@host:path`. */
    url: string;
    /** `GIT_BRANCH` (default `main`). */
    branch?: string | undefined;
  };
  dokploy: {
    /** `DOKPLOY_URL`, with or without the trailing `/api`. */
    url: string;
    /** `DOKPLOY_API_KEY`. */
    apiKey: string;
  };
  /** `VAULT_ADDR` with `VAULT_TOKEN`, or with `VAULT_ROLE_ID` + `VAULT_SECRET_ID` (`appRole`). */
  vault?:
    | {
        address: string;
        token?: string | undefined;
        appRole?: { roleId: string; secretId: string } | undefined;
      }
    | undefined;
  /** `INTERNAL_DOMAIN`. */
  internalDomain?: string | undefined;
  /** `DEPLOY_ENV` (default `staging`). */
  deployEnv?: string | undefined;
  /** `IAC_DATA_DIR` (default `./.iac-runner`). */
  dataDir?: string | undefined;
  /** `IAC_DATABASE_URL` (`postgres://…`); SQLite in `dataDir` when absent. */
  databaseUrl?: string | undefined;
  /** `IAC_SECRETS_FILE`: a dotenv file whose `WEBHOOK_SECRET` and `WEBHOOK_SECRET_PREVIOUS` the runner follows live. */
  secretsFile?: string | undefined;
  /** `HOST` (default `0.0.0.0`); used by `iac-runner serve` only. */
  host?: string | undefined;
  /** `PORT` (default 8080); used by `iac-runner serve` only. */
  port?: number | undefined;
  /** `LOG_LEVEL` (default `info`): the level of the default logger. */
  logLevel?: LogLevel | undefined;
  /** `IAC_REQUIRE_TIMESTAMP` (default false). */
  requireTimestamp?: boolean | undefined;
  /** `IAC_DEPLOY_TIMEOUT_SECONDS` (default 900). */
  deployTimeoutSeconds?: number | undefined;
  /** `IAC_HASH_KEY` (default `webhookSecret`). */
  hashKey?: string | undefined;
  /** `IAC_WEBHOOK_MAX_BODY_BYTES` (default 25 MiB). */
  webhookMaxBodyBytes?: number | undefined;
  /** `IAC_MAX_BODY_BYTES` (default 64 KiB). */
  maxBodyBytes?: number | undefined;
  /** `IAC_POLL_INTERVAL`: seconds, or `"30s"`, `"5m"`, `"1h"` (10 s to 24 h); `false` (the default) for none. */
  pollInterval?: number | string | false | undefined;
  /** `IAC_RECONCILE_INTERVAL`: seconds, or `"30s"`, `"5m"`, `"1h"` (10 s to 24 h); `false` (the default) for none. */
  reconcileInterval?: number | string | false | undefined;
  /** `IAC_RETRY_LIMIT` (default 3). */
  retryLimit?: number | undefined;
  /** `IAC_HISTORY_DAYS` (default 90). */
  historyDays?: number | undefined;
  /** `IAC_API_TOKEN` (at least 16 characters). */
  apiToken?: string | undefined;
  /** `IAC_WAIT_SECONDS` (default 300). */
  waitSeconds?: number | undefined;
  /** `IAC_LEASE_SECONDS` (default 30). */
  leaseSeconds?: number | undefined;
  /** `IAC_CONCURRENCY` (default 4). */
  concurrency?: number | undefined;
  /** `IAC_BODY_BUDGET_BYTES` (default 64 MiB); used by `createNodeServer` through `iac-runner serve` only. */
  bodyBudgetBytes?: number | undefined;
  /** `IAC_HEADERS_TIMEOUT_SECONDS` (default 10); used by `iac-runner serve` only. */
  headersTimeoutSeconds?: number | undefined;
  /** `IAC_REQUEST_TIMEOUT_SECONDS` (default 30); used by `iac-runner serve` only. */
  requestTimeoutSeconds?: number | undefined;
  /** `IAC_KEEP_ALIVE_TIMEOUT_SECONDS` (default 5); used by `iac-runner serve` only. */
  keepAliveTimeoutSeconds?: number | undefined;
  /** `IAC_MAX_CONNECTIONS` (default 512); used by `iac-runner serve` only. */
  maxConnections?: number | undefined;
  /** Commit statuses and deployments on GitHub; off without a token. */
  github?:
    | {
        /** `GITHUB_TOKEN`: allowed to write commit statuses and deployments. */
        token?: string | undefined;
        /** `GITHUB_API_URL` (default `https://api.github.com`; GitHub Enterprise Server: `https://<host>/api/v3`). */
        apiUrl?: string | undefined;
        /** `GITHUB_REPOSITORY` (`owner/name`); defaults to the `owner/name` path of `git.url`. */
        repository?: string | undefined;
      }
    | undefined;
  /** `IAC_PUBLIC_URL`: the runner's external http(s) base URL, linked from GitHub. */
  publicUrl?: string | undefined;
}

// --- drift detection ---

/**
 * How one service compares with Dokploy: `in_sync` (stored hash matches, last deployment done), `drifted` (the
 * stored hash differs), `missing` (no compose), `not_done` (the newest deployment failed or has not finished),
 * `unknown` (Dokploy, Vault or git could not be read), `pending` (a job of the service is queued or running, so its
 * stored hash lags by design and is not compared).
 */
export type DriftState = "in_sync" | "drifted" | "missing" | "not_done" | "unknown" | "pending";

/** One service of a drift report. */
export interface ServiceDrift {
  service: string;
  /** The commit the service is compared at. */
  commit: string;
  state: DriftState;
  /** The config hash of the service's content at `commit`; null when it could not be computed (or `pending`). */
  expectedHash: string | null;
  /** `IAC_CONFIG_HASH` Dokploy holds; null when none, no compose, or not read. */
  actualHash: string | null;
  /** Why the service is in its state, for people. */
  detail: string;
}

/** The definitions a drift target of an environment deployed by request compares, as its last successful jobs hold them. */
export interface StoredDefinitions {
  environment: EnvironmentConfig;
  services: readonly CatalogService[];
  /** Service name → id of the job that last succeeded with it (a correction checks it is still the last). */
  jobs: ReadonlyMap<string, string>;
}

/**
 * What drift detection compares in one environment at one commit. The branch gives `DEPLOY_ENV` one target (the
 * synced commit, every automatic service of the catalog there). Any other environment gives one per commit its
 * services last succeeded at, with the definitions stored with those jobs (`stored`), since a tag deploy or a rollback
 * may have deployed content the branch no longer holds.
 */
export interface DriftTarget {
  env: string;
  commit: string;
  /** The environment and services stored with the last successful jobs; absent: the catalog at `commit`. */
  stored?: StoredDefinitions | undefined;
  /** Whether drift may be corrected now (false while the branch has a newer planned commit than synced). */
  correctable: boolean;
}

/** The outcome of one round: `ok` (compared), `idle` (nothing synced yet), `failed` (could not even list services). */
export type DriftRoundOutcome = "ok" | "idle" | "failed";

/** What one drift detection round found in one environment. */
export interface EnvironmentDrift {
  env: string;
  /**
   * The commit every service was compared at (for `DEPLOY_ENV`, the synced commit); null when nothing was compared or
   * the services were compared at several commits (each service names its own).
   */
  commit: string | null;
  outcome: DriftRoundOutcome;
  /** Why the environment failed (`failed`) or had nothing to compare (`idle`). */
  detail: string | null;
  services: ServiceDrift[];
  /** Jobs a `reconcile: correct` round submitted (`duplicate`: an equal one was known), one per commit at most. */
  corrections: DriftCorrection[];
}

/**
 * The report of the last drift detection round, as `GET /drift` answers it: `DEPLOY_ENV` at the top level, the other
 * environments the runner deployed to in `environments`.
 */
export interface DriftReport {
  /**
   * ISO time of the round; null when there is none to show (reconciliation off, or no runner sharing the store has
   * finished a round yet).
   */
  checkedAt: string | null;
  env: string;
  /** The synced commit compared with; null before the first sync. */
  commit: string | null;
  outcome: DriftRoundOutcome | null;
  /** Why the round failed (`failed`) or did nothing (`idle`). */
  detail: string | null;
  services: ServiceDrift[];
  /** Jobs a `reconcile: correct` round submitted (`duplicate`: an equal one was known), one per target at most. */
  corrections: DriftCorrection[];
  /**
   * Every other environment of `iac.config.yaml` at the synced commit, each service compared at the commit of its last
   * successful job there (never deployed: left out). Empty when no round ran, or `DEPLOY_ENV` could not be compared.
   */
  environments: EnvironmentDrift[];
}

/** The report of a round that ran. */
export type DriftRoundReport = DriftReport & { checkedAt: string; outcome: DriftRoundOutcome };

/** A job submitted to correct drift (trigger `reconcile`). */
export interface DriftCorrection {
  deployment: string;
  status: "created" | "duplicate";
  commit: string;
  services: string[];
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

/** Webhook secrets, current first: at once, or as a promise when they must be read first. */
export type WebhookSecrets = () => readonly string[] | Promise<readonly string[]>;

/** Options of `createRunner`. Everything with a side effect can be injected; the rest is built from `settings`. */
export interface RunnerOptions {
  /** From `defineSettings({ ... })` or `loadSettings(process.env)`. */
  settings: RunnerSettings;
  /**
   * Serve every endpoint under this prefix, e.g. `/iac` for `/iac/webhook`; other paths answer 404. Starts with `/`,
   * does not end with one. Default: the root.
   */
  basePath?: string | undefined;
  /** Defaults to a bare mirror at `<IAC_DATA_DIR>/mirror.git`. */
  git?: GitMirror | undefined;
  /** Defaults to the built-in sync engine over Dokploy and Vault; an injected engine is not closed by `close()`. */
  engine?: SyncEngine | undefined;
  /** Defaults to JSON lines on stdout at `settings.logLevel` (see `createLogger`); `false` logs nothing. */
  logger?: Logger | false | undefined;
  clock?: SyncClock | undefined;
  /** Used for Dokploy, Vault and the health checks; defaults to `globalThis.fetch` at call time. */
  fetch?: typeof fetch | undefined;
  /**
   * Where jobs, dedupe keys and branch positions live. Defaults to PostgreSQL at `IAC_DATABASE_URL`, else SQLite at
   * `<IAC_DATA_DIR>/iac-runner.db`; an injected store is not closed by `close()`.
   */
  store?: JobStore | undefined;
  /** Engine timing (leases, claim polling, retries); defaults from `settings`. */
  timing?: SyncEngineTiming | undefined;
  /** Catch up with the branch once at start (default true), then every `IAC_POLL_INTERVAL` when set. */
  catchUp?: boolean | undefined;
  /**
   * Accepted secrets, current first, read on every request; lets a rotation apply live. Default: those of
   * `settings`, and when `settings.secretsFile` names a file, its `WEBHOOK_SECRET` and `WEBHOOK_SECRET_PREVIOUS` as
   * the file changes (see `createSettingsSource`).
   */
  webhookSecrets?: WebhookSecrets | undefined;
  /**
   * More destinations of every job's `started` and `finished` reports, after the built-in ones (GitHub statuses and
   * deployments, notifications, automatic rollback, each idle unless configured). See `JobReporter`.
   */
  reporters?: readonly JobReporter[] | undefined;
  /**
   * Resolves `$NAME` in the `notify` targets of `iac.config.yaml` (URLs and signing keys). Default: the secrets file
   * (`settings.secretsFile`, else the default one when it exists) over the process environment, read per message.
   */
  variables?: VariableLookup | undefined;
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
  /** The engine behind the endpoints: read jobs, wait for them, or submit plans from code. */
  readonly engine: SyncEngine;
  /**
   * Refuses new requests with 503, then closes what the runner created: the catch-up and drift detection, the engine
   * (which waits a little for running syncs; the rest resume from the store) and the store.
   */
  close(): Promise<void>;
}
