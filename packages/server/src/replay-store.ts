import type { ReplayStore } from "./types.js";

/** Options of {@link createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  now?: (() => number) | undefined;
  /** Keys kept at most; the oldest are forgotten first (default 10 000). */
  maxEntries?: number | undefined;
}

/**
 * An in-memory {@link ReplayStore}. Bounded: expired keys are dropped as new ones arrive, and past `maxEntries` the
 * oldest keys are forgotten even before they expire.
 */
export function createMemoryReplayStore(options: MemoryReplayStoreOptions = {}): ReplayStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 10_000;
  const expiries = new Map<string, number>();

  // Keys are kept in claim order, so expired and surplus keys are always at the front.
  const prune = (at: number): void => {
    for (const [key, expiry] of expiries) {
      if (expiry > at && expiries.size <= maxEntries) {
        break;
      }
      expiries.delete(key);
    }
  };

  return {
    claim(key, ttlMs) {
      const at = now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > at) {
        return false;
      }
      expiries.delete(key);
      expiries.set(key, at + ttlMs);
      prune(at);
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
  };
}
