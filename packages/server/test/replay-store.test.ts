import { describe, expect, it } from "vitest";
import { createMemoryReplayStore } from "../src/replay-store.js";

describe("createMemoryReplayStore", () => {
  it("claims a key once until it expires", () => {
    let now = 0;
    const store = createMemoryReplayStore({ now: () => now });
    expect(store.claim("a", 1_000)).toBe(true);
    expect(store.claim("a", 1_000)).toBe(false);
    now = 999;
    expect(store.claim("a", 1_000)).toBe(false);
    now = 1_000;
    expect(store.claim("a", 1_000)).toBe(true);
  });

  it("forgets a released key", () => {
    const store = createMemoryReplayStore();
    store.claim("a", 60_000);
    store.release("a");
    expect(store.claim("a", 60_000)).toBe(true);
  });

  it("stays bounded by forgetting the oldest keys first", () => {
    const store = createMemoryReplayStore({ maxEntries: 2 });
    for (const key of ["a", "b", "c"]) {
      store.claim(key, 60_000);
    }
    expect(store.claim("b", 60_000)).toBe(false);
    expect(store.claim("c", 60_000)).toBe(false);
    expect(store.claim("a", 60_000)).toBe(true);
  });
});
