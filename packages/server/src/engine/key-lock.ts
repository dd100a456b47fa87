import type { JobStore } from "../types.js";
import { SyncError } from "./sync-error.js";
import { throwIfCancelled } from "./throw-if-cancelled.js";

/** How long a lock outlives a runner that died holding it; a live holder renews it every third of that. */
const LOCK_TTL_MS = 30_000;
/** How often a runner asks again while another one holds the lock. */
const LOCK_RETRY_MS = 50;

/**
 * Runs `work` while nobody else runs work under the same `key`; callers are served in order. A caller still waiting
 * when `signal` aborts gives up with a `cancelled` {@link SyncError} and its work never runs.
 */
export type KeyLock = <T>(key: string, work: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/** A {@link KeyLock} within this process. */
export function createProcessLock(): KeyLock {
  const tails = new Map<string, Promise<void>>();
  return async (key, work, signal) => {
    const previous = tails.get(key) ?? Promise.resolve();
    let done: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    // The next caller waits for the previous holder too: one that gave up waiting never lets two run at once.
    const tail = previous.then(() => mine);
    tails.set(key, tail);
    try {
      await untilAborted(previous, [signal]);
      throwIfCancelled(signal, `while waiting for the lock of ${key}`);
      return await work();
    } finally {
      done();
      void tail.then(() => {
        if (tails.get(key) === tail) {
          tails.delete(key);
        }
      });
    }
  };
}

/** Options of {@link createStoreLock}. */
export interface StoreLockOptions {
  /** How long the lease outlives a runner that died holding it (default 30 s); renewed every third of it. */
  ttlMs?: number | undefined;
  /** How often a waiting runner asks again (default 50 ms). */
  retryMs?: number | undefined;
  /** Aborted when the engine closes: a runner shutting down stops waiting (the sync is retried, here or elsewhere). */
  closing?: AbortSignal | undefined;
}

/**
 * A {@link KeyLock} across every runner sharing `store`: callers of this process take turns, then hold the store's
 * named lease (per runner) while they work, renewed while the work runs (creating a project, with the SDK's retries,
 * may outlast it). A runner that dies holding it blocks the others for at most the lease's time to live.
 *
 * A store that fails (a database restarting) fails the caller with `store_unavailable`, which the engine retries.
 */
export function createStoreLock(store: JobStore, holder: string, options: StoreLockOptions = {}): KeyLock {
  const ttlMs = options.ttlMs ?? LOCK_TTL_MS;
  const retryMs = options.retryMs ?? LOCK_RETRY_MS;
  const local = createProcessLock();
  return (key, work, signal) =>
    local(
      key,
      async () => {
        const name = `lock:${key}`;
        const take = () => storeCall(key, () => store.acquireLease(name, holder, Date.now(), ttlMs));
        while (!(await take())) {
          await untilAborted(delay(retryMs), [signal, options.closing]);
          throwIfCancelled(signal, `while waiting for the lock of ${key}`);
          if (options.closing?.aborted === true) {
            throw new SyncError(
              "store_unavailable",
              `[@iac/server] lock ${key}: the runner closed while waiting for it`,
            );
          }
        }
        const stopRenewing = renewEvery(Math.max(1, Math.floor(ttlMs / 3)), take);
        try {
          return await work();
        } finally {
          // A renewal still in flight would take the lease again after the release: it ends first.
          await stopRenewing();
          // When the release fails, the lease expires by itself.
          await store.releaseLease(name, holder).catch(() => undefined);
        }
      },
      signal,
    );
}

/** Runs `call` to the store; a failure becomes a `store_unavailable` {@link SyncError}, which the engine retries. */
async function storeCall<T>(key: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new SyncError(
      "store_unavailable",
      `[@iac/server] lock ${key}: expected the job store to answer, received an error`,
      { cause: error },
    );
  }
}

/**
 * Calls `renew` every `intervalMs`, one call at a time; the returned function stops it and waits for a call in flight.
 * A failed renewal is tried again at the next tick: the work cannot be stopped halfway, and the lease outlives two
 * missed renewals.
 */
function renewEvery(intervalMs: number, renew: () => Promise<unknown>): () => Promise<void> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = inFlight.then(renew).catch(() => undefined);
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await inFlight;
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when `promise` settles (its outcome is the caller's business elsewhere) or one of `signals` aborts. */
function untilAborted(promise: Promise<unknown>, signals: ReadonlyArray<AbortSignal | undefined>): Promise<void> {
  const watched = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return new Promise<void>((resolve) => {
    const end = (): void => {
      for (const signal of watched) {
        signal.removeEventListener("abort", end);
      }
      resolve();
    };
    for (const signal of watched) {
      if (signal.aborted) {
        end();
        return;
      }
      signal.addEventListener("abort", end, { once: true });
    }
    promise.then(end, end);
  });
}
