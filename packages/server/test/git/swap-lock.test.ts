import { describe, expect, it } from "vitest";
import { createSwapLock } from "../../src/git/swap-lock.js";
import { gatedWork, settle } from "../helpers/gated-work.js";

describe("createSwapLock", () => {
  it("runs reads side by side", async () => {
    const lock = createSwapLock();
    const started: string[] = [];
    const [a, b] = [gatedWork("a", started), gatedWork("b", started)];
    const results = [lock.shared(a.work), lock.shared(b.work)];
    await settle();
    expect(started).toEqual(["a", "b"]);
    b.finish();
    a.finish();
    expect(await Promise.all(results)).toEqual(["a", "b"]);
  });

  it("starts a swap once every read in flight has ended, and holds new reads until it is done", async () => {
    const lock = createSwapLock();
    const started: string[] = [];
    const [a, b, swap, later] = ["a", "b", "swap", "later"].map((name) => gatedWork(name, started)) as [
      ReturnType<typeof gatedWork>,
      ReturnType<typeof gatedWork>,
      ReturnType<typeof gatedWork>,
      ReturnType<typeof gatedWork>,
    ];
    const reads = [lock.shared(a.work), lock.shared(b.work)];
    const swapped = lock.exclusive(swap.work);
    const laterRead = lock.shared(later.work);
    await settle();
    expect(started).toEqual(["a", "b"]);
    a.finish();
    await settle();
    expect(started).toEqual(["a", "b"]);
    b.finish();
    await Promise.all(reads);
    await settle();
    expect(started).toEqual(["a", "b", "swap"]);
    swap.finish();
    expect(await swapped).toBe("swap");
    await settle();
    expect(started).toEqual(["a", "b", "swap", "later"]);
    later.finish();
    expect(await laterRead).toBe("later");
  });

  it("swaps at once when nothing reads, and lets reads go on after a failed swap", async () => {
    const lock = createSwapLock();
    await expect(
      lock.exclusive(async () => {
        throw new Error("rename failed");
      }),
    ).rejects.toThrow("rename failed");
    expect(await lock.shared(async () => "read")).toBe("read");
    expect(await lock.exclusive(async () => "swapped")).toBe("swapped");
  });

  it("counts a failed read as ended, so a waiting swap goes on", async () => {
    const lock = createSwapLock();
    let fail = (): void => undefined;
    const failing = lock.shared(
      () =>
        new Promise<string>((_resolve, reject) => {
          fail = () => reject(new Error("read failed"));
        }),
    );
    const swapped = lock.exclusive(async () => "swapped");
    await settle();
    fail();
    await expect(failing).rejects.toThrow("read failed");
    expect(await swapped).toBe("swapped");
  });
});
