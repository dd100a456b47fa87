import { describe, expect, test } from "vitest";
import type { OpenStore } from "./describe-job-store.js";
import {
  COMMIT_A,
  COMMIT_B,
  COMMIT_C,
  catalogService,
  deployMarker,
  environmentConfig,
  newJob,
  syncResult,
  T0,
} from "./store-fixtures.js";
import { claim, jobOf, stored } from "./store-steps.js";

/** Conformance tests of claims, leases, markers, completion, retries and cancellation. */
export function describeTasks(open: OpenStore): void {
  describe("claimTask", () => {
    test("claims services oldest job first, then in service order, and answers everything a runner needs", async () => {
      const store = await open();
      const first = jobOf(
        await store.createJob(newJob({ services: ["api", "web"], trigger: "webhook", delivery: "delivery-1" })),
      );
      const second = jobOf(await store.createJob(newJob({ commit: COMMIT_B, services: ["db"] })));

      expect(await store.claimTask("runner-1", T0, 60_000)).toEqual({
        jobId: first.id,
        env: "staging",
        commit: COMMIT_A,
        environment: environmentConfig(),
        service: catalogService("api"),
        delivery: "delivery-1",
        trigger: "webhook",
        attempt: 1,
        marker: null,
        cancel: null,
      });
      expect(await stored(store, first.id)).toMatchObject({
        state: "running",
        services: [
          { state: "running", attempts: 1 },
          { state: "queued", attempts: 0 },
        ],
      });
      expect((await claim(store, "runner-1", T0)).service.name).toBe("web");
      expect(await claim(store, "runner-2", T0)).toMatchObject({ jobId: second.id, service: { name: "db" } });
      expect(await store.claimTask("runner-1", T0, 60_000)).toBeUndefined();
    });

    test("takes over a running service whose lease expired: same service, next attempt, marker kept", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await store.claimTask("runner-1", T0, 1_000);
      expect(await store.saveMarker(job.id, "api", "runner-1", deployMarker())).toBe(true);

      expect(await store.claimTask("runner-2", T0 + 1_000, 1_000)).toBeUndefined();
      expect(await store.claimTask("runner-2", T0 + 1_001, 1_000)).toMatchObject({
        jobId: job.id,
        service: { name: "api" },
        attempt: 2,
        marker: deployMarker(),
      });
      // The first runner lost it.
      expect(await store.renewLease(job.id, "api", "runner-1", T0 + 1_002, 1_000)).toBe("lost");
      expect(await store.saveMarker(job.id, "api", "runner-1", null)).toBe(false);
      expect(
        await store.completeTask(job.id, "api", "runner-1", "failed", syncResult("api", "failed"), T0 + 1_002),
      ).toBe(false);
      expect(
        await store.completeTask(job.id, "api", "runner-2", "succeeded", syncResult("api", "updated"), T0 + 1_003),
      ).toBe(true);
      expect(await stored(store, job.id)).toMatchObject({ state: "succeeded", services: [{ attempts: 2 }] });
    });

    test("runs at most one service per (env, service) lane", async () => {
      const store = await open();
      const first = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      const second = jobOf(await store.createJob(newJob({ commit: COMMIT_B })));
      const elsewhere = jobOf(await store.createJob(newJob({ env: "production", commit: COMMIT_B })));
      // Only the other environment's lane is free.
      expect((await claim(store, "runner-2", T0 + 1)).jobId).toBe(elsewhere.id);
      expect(await store.claimTask("runner-2", T0 + 2, 60_000)).toBeUndefined();
      await store.completeTask(first.id, "api", "runner-1", "succeeded", syncResult("api", "updated"), T0 + 3);
      expect((await claim(store, "runner-2", T0 + 4)).jobId).toBe(second.id);
    });
  });

  describe("renewLease", () => {
    test("extends the lease of the holder and reports it lost to anyone else", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await store.claimTask("runner-1", T0, 1_000);
      expect(await store.renewLease(job.id, "api", "runner-1", T0 + 900, 1_000)).toBe("held");
      // The renewed lease runs until T0 + 1900.
      expect(await store.claimTask("runner-2", T0 + 1_500, 1_000)).toBeUndefined();
      expect(await store.renewLease(job.id, "api", "runner-2", T0 + 1_500, 1_000)).toBe("lost");
      expect(await store.renewLease("no-such-job", "api", "runner-1", T0 + 1_500, 1_000)).toBe("lost");
      expect(await store.claimTask("runner-2", T0 + 1_901, 1_000)).toMatchObject({ jobId: job.id, attempt: 2 });
      expect(await store.renewLease(job.id, "api", "runner-1", T0 + 1_902, 1_000)).toBe("lost");
    });

    test("tells the holder about a cancel request, force winning and never downgraded", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      await store.cancelJob(job.id, false, T0 + 1);
      expect(await store.renewLease(job.id, "api", "runner-1", T0 + 2, 60_000)).toBe("cancel");
      await store.cancelJob(job.id, true, T0 + 3);
      expect(await store.renewLease(job.id, "api", "runner-1", T0 + 4, 60_000)).toBe("force");
      await store.cancelJob(job.id, false, T0 + 5);
      expect(await store.renewLease(job.id, "api", "runner-1", T0 + 6, 60_000)).toBe("force");
    });
  });

  describe("saveMarker, completeTask and retryTask", () => {
    test("change nothing unless the service is running and held by the runner", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob({ services: ["api", "web"] })));
      // Queued: nobody holds it.
      expect(await store.saveMarker(job.id, "api", "runner-1", deployMarker())).toBe(false);
      expect(await store.retryTask(job.id, "api", "runner-1", T0, syncResult("api", "failed"), T0)).toBe(false);
      await claim(store, "runner-1", T0);
      expect(await store.saveMarker(job.id, "api", "runner-2", deployMarker())).toBe(false);
      expect(await store.completeTask(job.id, "api", "runner-2", "succeeded", syncResult("api", "updated"), T0)).toBe(
        false,
      );
      expect(await store.retryTask(job.id, "api", "runner-2", T0, syncResult("api", "failed"), T0)).toBe(false);
      expect(await store.completeTask(job.id, "web", "runner-1", "succeeded", syncResult("web", "updated"), T0)).toBe(
        false,
      );
      expect(
        await store.completeTask("no-such-job", "api", "runner-1", "succeeded", syncResult("api", "updated"), T0),
      ).toBe(false);
      expect(await stored(store, job.id)).toMatchObject({
        state: "running",
        services: [
          { state: "running", result: null },
          { state: "queued", result: null },
        ],
      });
      expect(await store.completeTask(job.id, "api", "runner-1", "succeeded", syncResult("api", "updated"), T0)).toBe(
        true,
      );
      // Completed: no longer held.
      expect(await store.completeTask(job.id, "api", "runner-1", "failed", syncResult("api", "failed"), T0)).toBe(
        false,
      );
      expect(await store.saveMarker(job.id, "api", "runner-1", deployMarker())).toBe(false);
      expect((await stored(store, job.id)).services[0]).toMatchObject({
        state: "succeeded",
        result: { status: "updated" },
      });
    });

    test("completeTask stores the result and ends the job with its last service", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob({ services: ["api", "web"] })));
      await claim(store, "runner-1", T0);
      await claim(store, "runner-1", T0);
      const failure = syncResult("web", "failed");
      await store.completeTask(job.id, "api", "runner-1", "succeeded", syncResult("api", "updated"), T0 + 10);
      expect(await stored(store, job.id)).toMatchObject({ state: "running", finishedAt: null });
      await store.completeTask(job.id, "web", "runner-1", "failed", failure, T0 + 20);
      expect(await stored(store, job.id)).toMatchObject({
        state: "failed",
        finishedAt: "2026-01-01T00:00:00.020Z",
        services: [
          { state: "succeeded", attempts: 1 },
          { state: "failed", attempts: 1, result: failure },
        ],
      });
      expect(await store.hasPendingWork()).toBe(false);
    });

    test("completeTask refuses a state that does not end a service", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      await expect(
        // @ts-expect-error superseded is the store's decision, never the runner's
        store.completeTask(job.id, "api", "runner-1", "superseded", syncResult("api", "superseded"), T0),
      ).rejects.toThrow(TypeError);
    });

    test("retryTask requeues the service until notBefore with the last failure, keeping the marker", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      await store.saveMarker(job.id, "api", "runner-1", deployMarker());
      const failure = syncResult("api", "failed");
      expect(await store.retryTask(job.id, "api", "runner-1", T0 + 5_000, failure, T0 + 100)).toBe(true);
      expect(await stored(store, job.id)).toMatchObject({
        state: "running",
        services: [{ state: "queued", attempts: 1, result: failure }],
      });
      expect(await store.hasPendingWork()).toBe(true);
      expect(await store.claimTask("runner-2", T0 + 4_999, 60_000)).toBeUndefined();
      expect(await store.claimTask("runner-2", T0 + 5_000, 60_000)).toMatchObject({
        attempt: 2,
        marker: deployMarker(),
      });
    });

    test("saveMarker with null clears the marker", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      await store.saveMarker(job.id, "api", "runner-1", deployMarker());
      expect(await store.saveMarker(job.id, "api", "runner-1", null)).toBe(true);
      await store.retryTask(job.id, "api", "runner-1", T0, syncResult("api", "failed"), T0);
      expect((await claim(store, "runner-1", T0 + 1)).marker).toBeNull();
    });

    test("a retry whose lane got a newer job meanwhile ends superseded when due: an older job never runs after it", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      const newer = jobOf(await store.createJob(newJob({ commit: COMMIT_B })));
      await store.retryTask(older.id, "api", "runner-1", T0 + 10_000, syncResult("api", "failed"), T0 + 100);
      // The retry is not due yet: the newer job takes the lane.
      expect((await claim(store, "runner-2", T0 + 200)).jobId).toBe(newer.id);
      expect(await store.claimTask("runner-3", T0 + 20_000, 60_000)).toBeUndefined();
      await store.completeTask(newer.id, "api", "runner-2", "succeeded", syncResult("api", "updated"), T0 + 20_001);
      expect(await store.claimTask("runner-3", T0 + 20_002, 60_000)).toBeUndefined();
      expect(await stored(store, older.id)).toMatchObject({
        state: "superseded",
        finishedAt: new Date(T0 + 20_002).toISOString(),
        services: [
          {
            state: "superseded",
            attempts: 1,
            result: { service: "api", env: "staging", commit: COMMIT_A, status: "superseded", supersededBy: newer.id },
          },
        ],
      });
      expect(await store.hasPendingWork()).toBe(false);
    });

    test("a due retry whose lane got a newer job is superseded, and the claim goes on to the newer one", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob({ services: ["api", "web"] })));
      await claim(store, "runner-1", T0);
      const newer = jobOf(await store.createJob(newJob({ commit: COMMIT_B })));
      const newest = jobOf(await store.createJob(newJob({ commit: COMMIT_B, services: ["api", "db"] })));
      await store.retryTask(older.id, "api", "runner-1", T0 + 100, syncResult("api", "failed"), T0 + 50);
      // The due retry of api, first in line, gives way to the newest job of its lane; web, alone in its lane, runs.
      expect(await claim(store, "runner-2", T0 + 100)).toMatchObject({ jobId: older.id, service: { name: "web" } });
      expect(await claim(store, "runner-2", T0 + 100)).toMatchObject({ jobId: newest.id, service: { name: "api" } });
      expect((await stored(store, older.id))?.services[0]).toMatchObject({
        state: "superseded",
        result: { supersededBy: newest.id },
      });
      // The newer job was superseded by the newest one when it came.
      expect((await stored(store, newer.id))?.state).toBe("superseded");
    });

    test("a newer job that was cancelled does not supersede a retry", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      const newer = jobOf(await store.createJob(newJob({ commit: COMMIT_B })));
      expect(await store.cancelJob(newer.id, false, T0 + 50)).toMatchObject({ dequeued: ["api"] });
      await store.retryTask(older.id, "api", "runner-1", T0 + 100, syncResult("api", "failed"), T0 + 60);
      expect(await claim(store, "runner-2", T0 + 100)).toMatchObject({ jobId: older.id, attempt: 2 });
    });

    test("a newer job superseded by one that was then cancelled does not supersede a retry", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      const newer = jobOf(await store.createJob(newJob({ commit: COMMIT_B })));
      const newest = jobOf(await store.createJob(newJob({ commit: COMMIT_C })));
      expect((await stored(store, newer.id)).state).toBe("superseded");
      await store.cancelJob(newest.id, false, T0 + 50);
      await store.retryTask(older.id, "api", "runner-1", T0 + 100, syncResult("api", "failed"), T0 + 60);
      expect(await claim(store, "runner-2", T0 + 100)).toMatchObject({ jobId: older.id, attempt: 2 });
    });

    test("a running service whose lease ran out is taken over even when its lane has a newer job", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob()));
      await store.claimTask("runner-1", T0, 1_000);
      const newer = jobOf(await store.createJob(newJob({ commit: COMMIT_B })));
      // The dead runner's deploy may be under way: its sync is settled first, the newer one runs after it.
      expect(await claim(store, "runner-2", T0 + 1_001)).toMatchObject({ jobId: older.id, attempt: 2 });
      await store.completeTask(older.id, "api", "runner-2", "succeeded", syncResult("api", "updated"), T0 + 2_000);
      expect((await claim(store, "runner-2", T0 + 2_001)).jobId).toBe(newer.id);
    });
  });

  describe("cancelJob", () => {
    test("cancels queued services at once and flags running ones, which their runner ends", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob({ services: ["api", "web", "db"] })));
      await claim(store, "runner-1", T0);
      const outcome = await store.cancelJob(job.id, false, T0 + 500);
      expect(outcome).toMatchObject({ dequeued: ["web", "db"], stopping: ["api"], job: { state: "running" } });
      expect(outcome?.job.services).toMatchObject([
        { service: "api", state: "running" },
        {
          service: "web",
          state: "cancelled",
          result: {
            service: "web",
            env: "staging",
            commit: COMMIT_A,
            status: "cancelled",
            error: { code: "cancelled", message: "cancelled before it started" },
            hashBefore: null,
            hashAfter: null,
            durationMs: 0,
          },
        },
        { service: "db", state: "cancelled" },
      ]);
      expect(await store.cancelJob(job.id, true, T0 + 600)).toMatchObject({ dequeued: [], stopping: ["api"] });

      await store.completeTask(job.id, "api", "runner-1", "cancelled", syncResult("api", "cancelled"), T0 + 900);
      const ended = await stored(store, job.id);
      expect(ended).toMatchObject({ state: "cancelled", finishedAt: "2026-01-01T00:00:00.900Z" });
      expect(await store.cancelJob(job.id, true, T0 + 1_000)).toEqual({ job: ended, dequeued: [], stopping: [] });
    });

    test("ends a job that had only queued services, and answers undefined for an unknown job", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob({ services: ["api", "web"] })));
      const outcome = await store.cancelJob(job.id, false, T0 + 42);
      expect(outcome).toMatchObject({
        dequeued: ["api", "web"],
        stopping: [],
        job: { state: "cancelled", finishedAt: "2026-01-01T00:00:00.042Z" },
      });
      expect(await store.hasPendingWork()).toBe(false);
      expect(await store.claimTask("runner-1", T0 + 43, 60_000)).toBeUndefined();
      expect(await store.cancelJob("no-such-job", false, T0)).toBeUndefined();
    });

    test("a flagged service whose runner died is claimed again with the cancel flag", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await store.claimTask("runner-1", T0, 1_000);
      await store.cancelJob(job.id, true, T0 + 10);
      expect(await store.claimTask("runner-2", T0 + 2_000, 1_000)).toMatchObject({
        jobId: job.id,
        attempt: 2,
        cancel: "force",
      });
    });
  });
}
