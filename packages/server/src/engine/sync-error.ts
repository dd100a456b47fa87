import type { SyncErrorCode } from "../types.js";

/** Upstream text kept per error; far more than is ever shown, small enough to hold in memory. */
export const MAX_DETAIL_LENGTH = 4096;

/**
 * Whether each failure is transient, i.e. worth retrying later (the engine retries these with backoff), or permanent
 * (retrying the same commit fails the same way until someone changes the config, the credentials or Vault). A
 * `Record` over every code, so a new code cannot be added without deciding.
 */
const TRANSIENT: Readonly<Record<SyncErrorCode, boolean>> = {
  dokploy_unreachable: true,
  // compose.deploy lost its answer and no row appeared; the retry settles it from the deploy marker first.
  deploy_unconfirmed: true,
  vault_unreachable: true,
  git_fetch_failed: true,
  store_unavailable: true,
  dokploy_auth_failed: false,
  dokploy_error: false,
  vault_permission_denied: false,
  vault_secret_missing: false,
  config_invalid: false,
  deploy_failed: false,
  deploy_timeout: false,
  // The deploy went through; probing again would only repeat the same wait. The next push or a rollback deploys.
  probe_failed: false,
  cancelled: false,
};

/** True for failures the engine retries later; see the table above for each code. */
export function isTransient(code: SyncErrorCode): boolean {
  return TRANSIENT[code];
}

/** Options of a {@link SyncError}. */
export interface SyncErrorOptions {
  cause?: unknown;
  /**
   * Text from upstream (a Dokploy error message, a deployment's `errorMessage`), not yet redacted. It is kept out of
   * `message` because it may echo secret values: `safeErrorMessage` masks them, then shortens it for display.
   */
  detail?: string | undefined;
}

/**
 * A classified failure of one service sync. The engine turns it into a `failed` result; `message` must be safe to
 * show (no secret values, no stack traces), which is why upstream text goes to `detail` instead.
 */
export class SyncError extends Error {
  override readonly name = "SyncError";
  readonly code: SyncErrorCode;
  /** Upstream text, whole up to {@link MAX_DETAIL_LENGTH} characters and never cut before it is redacted. */
  readonly detail: string | undefined;

  constructor(code: SyncErrorCode, message: string, options: SyncErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    const { detail } = options;
    this.detail = detail === undefined || detail === "" ? undefined : detail.slice(0, MAX_DETAIL_LENGTH);
  }
}

/** True for a {@link SyncError}. */
export function isSyncError(error: unknown): error is SyncError {
  return error instanceof SyncError;
}

/** `error` itself when it is a {@link SyncError}; anything else becomes a generic one that hides its message. */
export function toSyncError(error: unknown): SyncError {
  return isSyncError(error)
    ? error
    : new SyncError("dokploy_error", "[@iac/server] unexpected error during sync", { cause: error });
}
