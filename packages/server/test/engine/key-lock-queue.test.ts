import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { createProcessLock, createStoreLock } from "../../src/engine/key-lock.js";
import { memoryStore } from "../helpers/runner-fixture.js";

/** Lets every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Work that records its start and finishes when told to. */
function gatedWork(name: string, started: string[]): { work: () => Promise<string>; finish: () => void } {
  let finish = (): void => undefined;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    work: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish,
  };
}

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
