import { SyncError } from "./sync-error.js";

/**
 * Throws a `cancelled` {@link SyncError} once `signal` is aborted. `where` completes the message, e.g. "before
 * compose.update" or "while waiting for deployment X".
 */
export function throwIfCancelled(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted === true) {
    throw new SyncError("cancelled", `[@iac/server] sync cancelled ${where}`);
  }
}
