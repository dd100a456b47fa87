import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSignal } from "../../src/engine/create-signal.js";

/** Whether `promise` has settled once pending callbacks ran (real `setImmediate`; only timeouts are faked). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe("createSignal", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("wakes every pending wait on notify and clears their timers", async () => {
    const signal = createSignal();
    const first = signal.wait(60_000);
    const second = signal.wait(30_000);
    expect(vi.getTimerCount()).toBe(2);
    expect(await settled(first)).toBe(false);
    signal.notify();
    expect([await settled(first), await settled(second)]).toEqual([true, true]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("resolves a wait after its timeout when nobody notifies", async () => {
    const signal = createSignal();
    const waiting = signal.wait(1_000);
    vi.advanceTimersByTime(999);
    expect(await settled(waiting)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(waiting)).toBe(true);
  });

  it("wakes only waits started before the notify", async () => {
    const signal = createSignal();
    signal.notify();
    const later = signal.wait(1_000);
    expect(await settled(later)).toBe(false);
    signal.notify();
    expect(await settled(later)).toBe(true);
    // A notify with nobody waiting is harmless.
    signal.notify();
  });

  it("forgets a wait once it timed out, so a later notify does not run it again", async () => {
    const clears = vi.spyOn(globalThis, "clearTimeout");
    const signal = createSignal();
    const waiting = signal.wait(10);
    vi.advanceTimersByTime(10);
    expect(await settled(waiting)).toBe(true);
    expect(clears).toHaveBeenCalledTimes(1);
    signal.notify();
    expect(clears).toHaveBeenCalledTimes(1);
  });

  it("still wakes the other waits on notify after one timed out", async () => {
    const signal = createSignal();
    const short = signal.wait(10);
    const long = signal.wait(60_000);
    vi.advanceTimersByTime(10);
    expect([await settled(short), await settled(long)]).toEqual([true, false]);
    signal.notify();
    expect(await settled(long)).toBe(true);
  });

  it("ends at once a wait given a count taken before a notify, and counts every notify", async () => {
    const signal = createSignal();
    const before = signal.seen();
    signal.notify();
    signal.notify();
    expect(signal.seen()).toBe(before + 2);
    expect(await settled(signal.wait(60_000, before))).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("waits for the next notify when no notify came since the count was taken", async () => {
    const signal = createSignal();
    signal.notify();
    const waiting = signal.wait(60_000, signal.seen());
    expect(await settled(waiting)).toBe(false);
    signal.notify();
    expect(await settled(waiting)).toBe(true);
  });
});
