import { describe, expect, test } from "vitest";
import type { DriftRoundReport } from "../../src/types.js";
import type { OpenStore } from "./describe-job-store.js";
import { COMMIT_B, COMMIT_C, newJob, T0 } from "./store-fixtures.js";
import { claim, jobOf, runNext } from "./store-steps.js";

const DAY = 24 * 60 * 60 * 1_000;

/** Conformance tests of one-time keys, named leases and pruning. */
export function describeKeysAndLeases(open: OpenStore): void {
  describe("claimKey", () => {
    test("records a key once until it expires", async () => {
      const store = await open();
      expect(await store.claimKey("nonce-1", 1_000, T0)).toBe(true);
      expect(await store.claimKey("nonce-1", 1_000, T0 + 999)).toBe(false);
      expect(await store.claimKey("nonce-2", 1_000, T0 + 999)).toBe(true);
      expect(await store.claimKey("nonce-1", 1_000, T0 + 1_000)).toBe(true);
      expect(await store.claimKey("nonce-1", 1_000, T0 + 1_999)).toBe(false);
    });
  });

  describe("acquireLease and releaseLease", () => {
    test("give a named lease to one holder at a time until it expires or is released", async () => {
      const store = await open();
      expect(await store.acquireLease("git-poll", "runner-1", T0, 1_000)).toBe(true);
      expect(await store.acquireLease("git-poll", "runner-2", T0 + 500, 1_000)).toBe(false);
      expect(await store.acquireLease("other", "runner-2", T0 + 500, 1_000)).toBe(true);
      // Renewed by its holder until T0 + 1500.
      expect(await store.acquireLease("git-poll", "runner-1", T0 + 500, 1_000)).toBe(true);
      expect(await store.acquireLease("git-poll", "runner-2", T0 + 1_499, 1_000)).toBe(false);
      expect(await store.acquireLease("git-poll", "runner-2", T0 + 1_500, 1_000)).toBe(true);
      // Only the holder releases it.
      await store.releaseLease("git-poll", "runner-1");
      expect(await store.acquireLease("git-poll", "runner-1", T0 + 1_600, 1_000)).toBe(false);
      await store.releaseLease("git-poll", "runner-2");
      expect(await store.acquireLease("git-poll", "runner-1", T0 + 1_600, 1_000)).toBe(true);
    });
  });

  describe("saveDriftReport and driftReport", () => {
    const round = (env: string, checkedAt: string, commit: string): DriftRoundReport => ({
      checkedAt,
      env,
      commit,
      outcome: "ok",
      detail: null,
      services: [
        { service: "web", commit, state: "drifted", expectedHash: "a".repeat(64), actualHash: null, detail: "drifted" },
      ],
      corrections: [],
      environments: [],
    });

    test("keep the latest round of each environment, never replaced by an older one written late", async () => {
      const store = await open();
      expect(await store.driftReport("staging")).toBeUndefined();
      const first = round("staging", "2026-01-01T00:00:00.000Z", COMMIT_B);
      const second = round("staging", "2026-01-01T00:05:00.000Z", COMMIT_C);
      await store.saveDriftReport(first);
      expect(await store.driftReport("staging")).toEqual(first);
      await store.saveDriftReport(second);
      // A slow runner's round, checked before the one kept, arrives after it (or is replayed).
      await store.saveDriftReport(first);
      expect(await store.driftReport("staging")).toEqual(second);
      const production = round("production", "2026-01-01T00:01:00.000Z", COMMIT_B);
      await store.saveDriftReport(production);
      expect(await store.driftReport("production")).toEqual(production);
      expect(await store.driftReport("staging")).toEqual(second);
      // Of two rounds checked at the same time, the last written is kept.
      const again = { ...second, outcome: "idle" as const, services: [] };
      await store.saveDriftReport(again);
      expect(await store.driftReport("staging")).toEqual(again);
    });

    test("refuse a report whose checkedAt is not a time, keeping what was kept", async () => {
      const store = await open();
      const kept = round("staging", "2026-01-01T00:00:00.000Z", COMMIT_B);
      await store.saveDriftReport(kept);
      await expect(store.saveDriftReport({ ...kept, checkedAt: "yesterday" })).rejects.toThrow(TypeError);
      expect(await store.driftReport("staging")).toEqual(kept);
    });
  });

  describe("prune", () => {
    test("deletes jobs that finished before the cutoff with their keys, keeps the rest, and drops expired keys", async () => {
      const store = await open();
      const old = jobOf(
        await store.createJob(
          newJob({ deliveryKey: "delivery-old", requestKey: { key: "request-old", ttlMs: 30 * DAY } }),
        ),
      );
      await runNext(store, T0 + 1_000);
      const recent = jobOf(
        await store.createJob(
          newJob({ commit: COMMIT_B, services: ["web"], requestKey: { key: "request-recent", ttlMs: 1_000 } }),
        ),
      );
      await claim(store, "runner-1", T0 + 2_000);
      await store.completeTask(
        recent.id,
        "web",
        "runner-1",
        "failed",
        {
          service: "web",
          env: "staging",
          commit: COMMIT_B,
          status: "failed",
          error: { code: "deploy_failed", message: "no" },
          hashBefore: null,
          hashAfter: null,
          durationMs: 5,
        },
        T0 + 3 * DAY,
      );
      // In flight for ever: never pruned, however old.
      const stuck = jobOf(await store.createJob(newJob({ commit: COMMIT_C, services: ["db"] })));
      await claim(store, "runner-1", T0 + 3_000);
      const waiting = jobOf(await store.createJob(newJob({ commit: COMMIT_C, services: ["queue"] })));
      await store.claimKey("nonce-1", 1_000, T0);
      await store.acquireLease("git-poll", "runner-1", T0, 1_000);

      expect(await store.prune(T0 + 2 * DAY, T0 + 4 * DAY)).toBe(1);
      expect(await store.getJob(old.id)).toBeUndefined();
      expect(await store.getJob(recent.id)).toBeDefined();
      expect(await store.getJob(stuck.id)).toBeDefined();
      expect(await store.getJob(waiting.id)).toBeDefined();
      expect(await store.jobByKey("delivery-old", T0)).toBeUndefined();
      expect(await store.jobByKey("request-old", T0)).toBeUndefined();
      // Expired keys are gone even when asked about a time they were still valid.
      expect(await store.jobByKey("request-recent", T0)).toBeUndefined();
      expect(await store.claimKey("nonce-1", 1_000, T0 + 1)).toBe(true);
      expect(await store.acquireLease("git-poll", "runner-2", T0 + 1, 1_000)).toBe(true);
      // The pruned delivery key is free again.
      expect((await store.createJob(newJob({ deliveryKey: "delivery-old", services: ["other"] }))).status).toBe(
        "created",
      );

      expect(await store.prune(T0 + 4 * DAY, T0 + 4 * DAY)).toBe(1);
      expect(await store.getJob(recent.id)).toBeUndefined();
      expect(await store.prune(T0 + 400 * DAY, T0 + 400 * DAY)).toBe(0);
      expect((await store.listJobs({ limit: 10 })).jobs).toHaveLength(3);
    });
  });
}
