import type { SyncResult } from "../types.js";

/**
 * The result recorded for a queued service that a newer job in the same (env, service) lane replaces. `commit` is
 * the commit of the service's own job, so its history still says what it would have synced.
 */
export function supersededResult(service: string, env: string, commit: string, supersededBy: string): SyncResult {
  return {
    service,
    env,
    commit,
    status: "superseded",
    hashBefore: null,
    hashAfter: null,
    supersededBy,
    durationMs: 0,
  };
}
