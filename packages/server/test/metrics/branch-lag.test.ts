import type { JobPlan } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { createBranchLag } from "../../src/metrics/branch-lag.js";
import type { BranchJobOutcome } from "../../src/plan/submit-branch-job.js";
import type { EnvironmentCursor } from "../../src/types.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

/** A lag tracker over a cursor and an ancestry the test sets, at a time the test moves. */
function tracker() {
  const state = { now: 1_000_000, cursor: { planned: null, synced: null } as EnvironmentCursor, gitCalls: 0 };
  // C descends from B, which descends from A.
  const order = [A, B, C];
  const lag = createBranchLag({
    env: "staging",
    now: () => state.now,
    store: { cursor: async () => state.cursor },
    git: {
      isAncestor: async (ancestor, descendant) => {
        state.gitCalls += 1;
        return order.indexOf(ancestor) <= order.indexOf(descendant);
      },
    },
  });
  return { state, lag };
}

const plan = (commit: string) => ({ commit }) as JobPlan;
const submitted = (commit: string): BranchJobOutcome =>
  ({ status: "submitted", plan: plan(commit), outcome: { status: "created" } }) as BranchJobOutcome;
const noChanges = (commit: string): BranchJobOutcome => ({ status: "no_changes", plan: plan(commit) });

describe("createBranchLag", () => {
  it("is 0 before any tip was seen", async () => {
    expect(await tracker().lag.seconds()).toBe(0);
  });

  it("grows from when a tip was first seen until the environment synced it", async () => {
    const { state, lag } = tracker();
    state.cursor = { planned: A, synced: A };
    lag.saw("staging", submitted(B), true);
    state.now += 42_500;
    expect(await lag.seconds()).toBe(42.5);
    // The same tip seen again (a catch-up round, a redelivery) keeps its first time.
    lag.saw("staging", { status: "ignored", reason: "up_to_date", detail: "", tip: B }, true);
    state.now += 10_000;
    expect(await lag.seconds()).toBe(52.5);
    state.cursor = { planned: B, synced: B };
    expect(await lag.seconds()).toBe(0);
  });

  it("is 0 when the environment synced something newer than the tip (another runner went further)", async () => {
    const { state, lag } = tracker();
    lag.saw("staging", submitted(B), true);
    state.now += 5_000;
    state.cursor = { planned: C, synced: C };
    expect(await lag.seconds()).toBe(0);
  });

  it("restarts from a newer tip, and stays high while a sync keeps failing, asking git once per synced commit", async () => {
    const { state, lag } = tracker();
    state.cursor = { planned: B, synced: A };
    lag.saw("staging", submitted(B), true);
    state.now += 30_000;
    lag.saw("staging", submitted(C), true);
    state.now += 1_000;
    expect(await lag.seconds()).toBe(1);
    state.now += 1_000;
    expect(await lag.seconds()).toBe(2);
    expect(state.gitCalls).toBe(1);
  });

  it("is 0 for a tip that deploys nothing, and for the starting point of a fresh store", async () => {
    const { state, lag } = tracker();
    state.cursor = { planned: A, synced: A };
    lag.saw("staging", noChanges(B), true);
    state.now += 60_000;
    expect(await lag.seconds()).toBe(0);
    lag.saw("staging", { status: "initialized", tip: C }, true);
    expect(await lag.seconds()).toBe(0);
  });

  it("counts a /sync of named services that deployed nothing as not synced, and ignores other environments", async () => {
    const { state, lag } = tracker();
    state.cursor = { planned: A, synced: A };
    lag.saw("staging", noChanges(B), false);
    lag.saw("production", noChanges(C), true);
    state.now += 3_000;
    expect(await lag.seconds()).toBe(3);
  });
});
