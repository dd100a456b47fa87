import type { SyncResult } from "../types.js";

/** The result recorded for a queued service that a cancel request ended before a runner took it. */
export function dequeuedResult(service: string, env: string, commit: string): SyncResult {
  return {
    service,
    env,
    commit,
    status: "cancelled",
    error: { code: "cancelled", message: "cancelled before it started" },
    hashBefore: null,
    hashAfter: null,
    durationMs: 0,
  };
}
