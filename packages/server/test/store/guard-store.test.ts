import { describe, expect, it } from "vitest";
import { guardStore } from "../../src/store/guard-store.js";
import { StoreError } from "../../src/store/store-error.js";
import type { JobStore } from "../../src/types.js";

/** A store whose methods are `methods` (called with the store as `this`); the guard only wraps what is there. */
function storeOf(methods: Record<string, (this: { label: string }, ...args: unknown[]) => Promise<unknown>>): JobStore {
  return { label: "the-store", ...methods } as unknown as JobStore;
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("guardStore", () => {
  it("passes arguments, the store as this, and answers through unchanged", async () => {
    const guarded = guardStore(
      storeOf({
        async cursor(this: { label: string }, ...args: unknown[]) {
          return { label: this.label, args };
        },
      }),
    );
    expect(await guarded.cursor("staging")).toEqual({ label: "the-store", args: ["staging"] });
  });

  it.each([
    ["a database error", new Error("SQLITE_BUSY: database is locked")],
    ["a driver's TypeError", new TypeError("The database connection is not open")],
    ["a thrown string", "connection reset"],
  ])("turns %s into a StoreError naming the method, with the error as its cause", async (_name, failure) => {
    const guarded = guardStore(storeOf({ getJob: () => Promise.reject(failure) }));
    const error = await rejectionOf(guarded.getJob("job-1"));
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toBe("[@iac/server] the job store failed during getJob");
    expect((error as StoreError).cause).toBe(failure);
  });

  it.each([
    ["the store's own TypeError (a caller's mistake)", new TypeError("[@iac/server] invalid limit: expected 1..100")],
    ["a StoreError", new StoreError("[@iac/server] already failed")],
  ])("lets %s through as it is", async (_name, failure) => {
    const guarded = guardStore(storeOf({ listJobs: () => Promise.reject(failure) }));
    expect(await rejectionOf(guarded.listJobs({ limit: 1 }))).toBe(failure);
  });
});
