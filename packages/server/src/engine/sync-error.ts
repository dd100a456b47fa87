import type { SyncErrorCode } from "../types.js";

/**
 * A classified failure of one service sync. The engine turns it into a `failed` result; `message` must be safe to
 * show (no secret values, no stack traces).
 */
export class SyncError extends Error {
  override readonly name = "SyncError";
  readonly code: SyncErrorCode;

  constructor(code: SyncErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
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
