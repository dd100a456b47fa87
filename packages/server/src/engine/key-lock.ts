import type { JobStore } from "../types.js";

/** How long a lock outlives a runner that died holding it. */
const LOCK_TTL_MS = 30_000;
/** How often a runner asks again while another one holds the lock. */
const LOCK_RETRY_MS = 50;

/** Runs `work` while nobody else runs work under the same `key`; callers are served in order. */
export type KeyLock = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/** A {@link KeyLock} within this process. */
export function createProcessLock(): KeyLock {
  const tails = new Map<string, Promise<unknown>>();
  return (key, work) => {
    const current = (tails.get(key) ?? Promise.resolve()).catch(() => undefined).then(work);
    tails.set(key, current);
    void current
      .finally(() => {
        if (tails.get(key) === current) {
          tails.delete(key);
        }
      })
      .catch(() => undefined);
    return current;
  };
}

/**
 * A {@link KeyLock} across every runner sharing `store`: callers of this process take turns, then hold the store's
 * named lease (per runner) while they work. A runner that dies holding it blocks the others for at most
 * {@link LOCK_TTL_MS}.
 */
export function createStoreLock(store: JobStore, holder: string): KeyLock {
  const local = createProcessLock();
  return (key, work) =>
    local(key, async () => {
      const name = `lock:${key}`;
      while (!(await store.acquireLease(name, holder, Date.now(), LOCK_TTL_MS))) {
        await new Promise((resolve) => setTimeout(resolve, LOCK_RETRY_MS));
      }
      try {
        return await work();
      } finally {
        await store.releaseLease(name, holder).catch(() => undefined);
      }
    });
}
