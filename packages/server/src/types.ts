// Public types of @iac/server. Sections are owned by one area each: the HTTP layer and settings, the git mirror,
// and the sync engine. The contracts between those areas are defined here first.

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

// --- sync engine ---

/** Outcome of one service sync. */
export type SyncStatus = "created" | "updated" | "skipped" | "failed";

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
