import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createProcessLock, createStoreLock } from "../../src/engine/key-lock.js";
import { isTransient, SyncError } from "../../src/engine/sync-error.js";
import type { JobStore } from "../../src/types.js";
import { gate, gatedWork, settle } from "../helpers/gated-work.js";
import { memoryStore } from "../helpers/runner-fixture.js";

/** `store` with its `acquireLease` calls counted per holder. */
function countingLeases(store: JobStore): { store: JobStore; calls: (holder: string) => number } {
  const counts = new Map<string, number>();
  return {
    store: {
      ...store,
      acquireLease: (name, holder, now, ttlMs) => {
        counts.set(holder, (counts.get(holder) ?? 0) + 1);
        return store.acquireLease(name, holder, now, ttlMs);
      },
    },
    calls: (holder) => counts.get(holder) ?? 0,
  };
}

describe("createStoreLock and the job store", () => {
  it("fails with a transient store_unavailable when the store cannot take the lease, and works again after", async () => {
    const real = await memoryStore();
    let failures = 1;
    const store: JobStore = {
      ...real,
      acquireLease: (...args) => {
        if (failures > 0) {
          failures -= 1;
          return Promise.reject(new Error("connection terminated: the database is restarting"));
        }
        return real.acquireLease(...args);
      },
    };
    const lock = createStoreLock(store, "runner-a");
    let ran = 0;
    const error = await lock("project", async () => {
      ran += 1;
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe("store_unavailable");
    expect(isTransient((error as SyncError).code)).toBe(true);
    expect((error as SyncError).message).not.toContain("restarting");
    expect(ran).toBe(0);
    expect(await lock("project", async () => "second")).toBe("second");
  });
});

describe("createStoreLock's lease while the work runs", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("renews the lease, so another runner never takes it mid-work, and stops renewing once released", async () => {
    vi.useFakeTimers();
    const counted = countingLeases(await memoryStore());
    const options = { ttlMs: 300, retryMs: 10 };
    const first = createStoreLock(counted.store, "runner-a", options);
    const second = createStoreLock(counted.store, "runner-b", options);
    const working = gate();
    const order: string[] = [];
    const held = first("project", async () => {
      order.push("a starts");
      await working.promise;
      order.push("a ends");
    });
    await vi.advanceTimersByTimeAsync(0);
    const waiting = second("project", async () => {
      order.push("b runs");
    });
    // Ten times the lease's time to live: without renewals the lease expires after 300 ms and b takes it.
    await vi.advanceTimersByTimeAsync(3_000);
    expect(order).toEqual(["a starts"]);
    expect(counted.calls("runner-a")).toBeGreaterThan(5);

    working.open();
    await held;
    const renewals = counted.calls("runner-a");
    await vi.advanceTimersByTimeAsync(100);
    await waiting;
    expect(order).toEqual(["a starts", "a ends", "b runs"]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(counted.calls("runner-a")).toBe(renewals);
  });

  it("stops waiting when the sync is cancelled, and when the engine closes, and never runs the work", async () => {
    const store = await memoryStore();
    const closing = new AbortController();
    const holder = createStoreLock(store, "runner-a");
    const waiter = createStoreLock(store, "runner-b", { closing: closing.signal });
    const working = gate();
    const held = holder("project", () => working.promise);
    let ran = 0;
    const work = async () => {
      ran += 1;
    };

    const cancel = new AbortController();
    const cancelled = waiter("project", work, cancel.signal).catch((caught: unknown) => caught);
    cancel.abort({ force: false });
    expect(await cancelled).toMatchObject({ code: "cancelled" });

    const closed = waiter("project", work).catch((caught: unknown) => caught);
    closing.abort();
    expect(await closed).toMatchObject({ code: "store_unavailable" });
    expect(ran).toBe(0);
    working.open();
    await held;
  });
});

describe("createProcessLock", () => {
  it("keeps the next caller waiting for the holder when a caller between them gave up", async () => {
    const lock = createProcessLock();
    const working = gate();
    const order: string[] = [];
    const held = lock("key", async () => {
      order.push("first starts");
      await working.promise;
      order.push("first ends");
    });
    const cancel = new AbortController();
    const gaveUp = lock("key", async () => order.push("second runs"), cancel.signal).catch((caught: unknown) => caught);
    const third = lock("key", async () => order.push("third runs"));
    cancel.abort();
    expect(await gaveUp).toMatchObject({ code: "cancelled" });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(["first starts"]);
    working.open();
    await Promise.all([held, third]);
    expect(order).toEqual(["first starts", "first ends", "third runs"]);
  });
});

describe("createProcessLock", () => {
  it("runs the work of one key one at a time, in the order asked, and other keys alongside", async () => {
    const lock = createProcessLock();
    const started: string[] = [];
    const first = gatedWork("first", started);
    const second = gatedWork("second", started);
    const other = gatedWork("other", started);
    const results = [lock("k", first.work), lock("k", second.work), lock("j", other.work)];
    await settle();
    expect(started).toEqual(["first", "other"]);
    first.finish();
    await settle();
    expect(started).toEqual(["first", "other", "second"]);
    second.finish();
    other.finish();
    expect(await Promise.all(results)).toEqual(["first", "second", "other"]);
  });

  it("makes a caller who comes while a queued work runs wait for that work too", async () => {
    const lock = createProcessLock();
    const started: string[] = [];
    const first = gatedWork("first", started);
    const second = gatedWork("second", started);
    const third = gatedWork("third", started);
    const firstDone = lock("k", first.work);
    const secondDone = lock("k", second.work);
    first.finish();
    await firstDone;
    await settle();
    expect(started).toEqual(["first", "second"]);
    const thirdDone = lock("k", third.work);
    await settle();
    expect(started).toEqual(["first", "second"]);
    second.finish();
    await secondDone;
    await settle();
    expect(started).toEqual(["first", "second", "third"]);
    third.finish();
    expect(await thirdDone).toBe("third");
  });

  it("gives a failed work's error to its caller and lets the next one run", async () => {
    const lock = createProcessLock();
    const failed = lock("k", async () => {
      throw new Error("boom");
    });
    const next = lock("k", async () => "next");
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("next");
  });
});

describe("createStoreLock", () => {
  it("holds the store's lease named for the key while the work runs, and gives it back after", async () => {
    const store = await memoryStore();
    const lock = createStoreLock(store, "runner-a");
    const heldByOther = await lock("project:x", () =>
      store.acquireLease("lock:project:x", "runner-b", Date.now(), 1_000),
    );
    expect(heldByOther).toBe(false);
    expect(await store.acquireLease("lock:project:x", "runner-b", Date.now(), 1_000)).toBe(true);
  });

  it("gives the lease back when the work fails", async () => {
    const store = await memoryStore();
    const lock = createStoreLock(store, "runner-a");
    await expect(
      lock("project:x", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await store.acquireLease("lock:project:x", "runner-b", Date.now(), 1_000)).toBe(true);
  });

  it("waits while another runner holds the lease, and runs once it is given back", async () => {
    const store = await memoryStore();
    expect(await store.acquireLease("lock:project:x", "runner-b", Date.now(), 60_000)).toBe(true);
    const started: string[] = [];
    const done = createStoreLock(store, "runner-a")("project:x", async () => {
      started.push("a");
      return "a";
    });
    // Several retry periods pass; whatever the machine's speed, the work must not start while the lease is held.
    await sleep(200);
    expect(started).toEqual([]);
    await store.releaseLease("lock:project:x", "runner-b");
    expect(await done).toBe("a");
    expect(started).toEqual(["a"]);
  });
});
