import type { JobStore } from "../types.js";
import { StoreError } from "./store-error.js";

/**
 * Wraps a store so every failure of the database itself becomes a {@link StoreError}, which the HTTP layer answers
 * with 503 `store_unavailable` instead of a 500. The store's own `TypeError`s (prefixed `[@iac/server]`) are a
 * caller's mistake and pass through unchanged; a driver's `TypeError` (better-sqlite3 throws one for a closed
 * database) is a store failure like any other.
 */
export function guardStore(store: JobStore): JobStore {
  const guarded = {} as Record<keyof JobStore, unknown>;
  for (const key of Object.keys(store) as Array<keyof JobStore>) {
    const method = store[key] as (...args: unknown[]) => Promise<unknown>;
    guarded[key] = (...args: unknown[]) =>
      method.apply(store, args).catch((error: unknown) => {
        const ours = error instanceof TypeError && error.message.startsWith("[@iac/server]");
        if (ours || error instanceof StoreError) {
          throw error;
        }
        throw new StoreError(`[@iac/server] the job store failed during ${key}`, { cause: error });
      });
  }
  return guarded as unknown as JobStore;
}
