import { describe, expect, test } from "vitest";
import type { OpenStore } from "./describe-job-store.js";
import { COMMIT_A, COMMIT_B, COMMIT_C, newJob, syncResult, T0 } from "./store-fixtures.js";
import { claim, jobOf, runNext, stored } from "./store-steps.js";

const MINUTE = 60_000;

/** Conformance tests of `createJob`: dedupe order, cursors, superseding, and the synced commit. */
export function describeCreateJob(open: OpenStore): void {
  describe("createJob", () => {
    test("stores a job with queued services and answers it", async () => {
      const store = await open();
      const job = newJob({
        services: ["api", "web"],
        trigger: "webhook",
        delivery: "delivery-1",
        triggeredBy: "alice",
        tag: "v1.2.3",
        ref: "refs/tags/v1.2.3",
        promotedFrom: "v1.2.2",
        rollbackOf: "job-that-failed",
      });
      const result = await store.createJob(job);
      expect(result).toEqual({
        status: "created",
        job: {
          id: job.id,
          env: "staging",
          commit: COMMIT_A,
          trigger: "webhook",
          state: "queued",
          delivery: "delivery-1",
          triggeredBy: "alice",
          tag: "v1.2.3",
          ref: "refs/tags/v1.2.3",
          promotedFrom: "v1.2.2",
          rollbackOf: "job-that-failed",
          services: [
            { service: "api", state: "queued", reason: job.services[0]?.reason, attempts: 0, result: null },
            { service: "web", state: "queued", reason: job.services[1]?.reason, attempts: 0, result: null },
          ],
          createdAt: "2026-01-01T00:00:00.000Z",
          finishedAt: null,
        },
      });
      expect(await store.getJob(job.id)).toEqual(jobOf(result));
      expect(await store.getJob("no-such-job")).toBeUndefined();
    });

    test("rejects a job without services with a TypeError and stores nothing", async () => {
      const store = await open();
      await expect(store.createJob(newJob({ services: [] }))).rejects.toThrow(TypeError);
      await expect(store.createJob(newJob({ services: [] }))).rejects.toThrow(/expected at least one service/);
      expect(await store.hasPendingWork()).toBe(false);
      expect((await store.listJobs({ limit: 10 })).jobs).toEqual([]);
    });

    test.each([
      ["a service the job does not have", { web: null }, '"web"'],
      ["a value that is neither a job id nor null", { api: undefined }, "undefined"],
    ])("rejects expectedNewest naming %s with a TypeError and stores nothing", async (_name, expectedNewest, shown) => {
      const store = await open();
      const job = newJob({ expectedNewest: expectedNewest as Record<string, string | null> });
      await expect(store.createJob(job)).rejects.toThrow(TypeError);
      await expect(store.createJob(job)).rejects.toThrow(`invalid expectedNewest of job ${job.id}`);
      await expect(store.createJob(job)).rejects.toThrow(shown);
      expect((await store.listJobs({ limit: 10 })).jobs).toEqual([]);
    });

    test("answers the job of a live request key whatever its state, and creates a new job once the key expired", async () => {
      const store = await open();
      const requestKey = { key: "request-1", ttlMs: 10 * MINUTE };
      const first = jobOf(await store.createJob(newJob({ requestKey })));
      await runNext(store, T0 + 1_000, "failed");

      const again = await store.createJob(newJob({ commit: COMMIT_B, requestKey, at: T0 + 2_000 }));
      expect(again).toMatchObject({ status: "duplicate", job: { id: first.id, state: "failed" } });

      const later = await store.createJob(newJob({ commit: COMMIT_B, requestKey, at: T0 + 10 * MINUTE }));
      expect(later.status).toBe("created");
      expect((await store.jobByKey("request-1", T0 + 10 * MINUTE + 1))?.id).toBe(jobOf(later).id);
    });

    test("answers the job of a known delivery key unless that job failed or was cancelled", async () => {
      const store = await open();
      const first = jobOf(await store.createJob(newJob({ deliveryKey: "delivery-1" })));
      await runNext(store, T0 + 1_000, "succeeded");
      expect(await store.createJob(newJob({ commit: COMMIT_B, deliveryKey: "delivery-1" }))).toMatchObject({
        status: "duplicate",
        job: { id: first.id, state: "succeeded" },
      });

      const failed = jobOf(await store.createJob(newJob({ deliveryKey: "delivery-2" })));
      await runNext(store, T0 + 2_000, "failed");
      const retried = await store.createJob(newJob({ commit: COMMIT_B, deliveryKey: "delivery-2" }));
      expect(retried.status).toBe("created");
      expect(jobOf(retried).id).not.toBe(failed.id);
      // The key moved to the new job.
      expect(await store.createJob(newJob({ commit: COMMIT_C, deliveryKey: "delivery-2" }))).toMatchObject({
        status: "duplicate",
        job: { id: jobOf(retried).id },
      });
      expect((await store.jobByKey("delivery-2", T0))?.id).toBe(jobOf(retried).id);
    });

    test("moves a delivery key away from a cancelled job", async () => {
      const store = await open();
      const cancelled = jobOf(await store.createJob(newJob({ deliveryKey: "delivery-1" })));
      await store.cancelJob(cancelled.id, false, T0 + 1_000);
      const next = await store.createJob(newJob({ deliveryKey: "delivery-1", at: T0 + 2_000 }));
      expect(next.status).toBe("created");
      expect(jobOf(next).id).not.toBe(cancelled.id);
    });

    test("creates a branch-following job only while the planned commit equals cursor.expected", async () => {
      const store = await open();
      expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
      const first = await store.createJob(newJob({ trigger: "webhook", cursor: { expected: null } }));
      expect(first.status).toBe("created");
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_A, synced: null });

      expect(await store.createJob(newJob({ commit: COMMIT_B, cursor: { expected: null } }))).toEqual({
        status: "cursor_moved",
        planned: COMMIT_A,
      });
      expect((await store.createJob(newJob({ commit: COMMIT_B, cursor: { expected: COMMIT_A } }))).status).toBe(
        "created",
      );
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_B, synced: null });
      // A job without a cursor leaves the planned commit alone, and other environments have their own.
      await store.createJob(newJob({ commit: COMMIT_C, services: ["db"] }));
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_B, synced: null });
      expect(await store.cursor("production")).toEqual({ planned: null, synced: null });
    });

    test("checks the request key, then the delivery key, then the cursor, then jobs in flight", async () => {
      const store = await open();
      const keyed = jobOf(
        await store.createJob(
          newJob({ cursor: { expected: null }, requestKey: { key: "r", ttlMs: MINUTE }, deliveryKey: "d" }),
        ),
      );
      // A known request key answers even though the cursor moved (and the delivery key is new).
      expect(
        await store.createJob(
          newJob({ commit: COMMIT_B, cursor: { expected: null }, requestKey: { key: "r", ttlMs: MINUTE } }),
        ),
      ).toMatchObject({ status: "duplicate", job: { id: keyed.id } });
      // A known delivery key answers even though the cursor moved.
      expect(
        await store.createJob(
          newJob({
            commit: COMMIT_B,
            cursor: { expected: null },
            requestKey: { key: "r2", ttlMs: MINUTE },
            deliveryKey: "d",
          }),
        ),
      ).toMatchObject({ status: "duplicate", job: { id: keyed.id } });
      // A moved cursor wins over an equal job in flight.
      expect(await store.createJob(newJob({ cursor: { expected: null } }))).toEqual({
        status: "cursor_moved",
        planned: COMMIT_A,
      });
      // None of the refused attempts recorded its keys.
      expect(await store.jobByKey("r2", T0)).toBeUndefined();
    });

    test("creates a job with expectedNewest only while each lane's newest job is the one expected (null: none)", async () => {
      const store = await open();
      const api = jobOf(await store.createJob(newJob({ services: ["api"] })));
      // Lanes of another environment do not count.
      await store.createJob(newJob({ env: "production", services: ["web"] }));
      const expectedNewest = { api: api.id, web: null };
      const created = await store.createJob(newJob({ commit: COMMIT_B, services: ["api", "web"], expectedNewest }));
      expect(created).toMatchObject({ status: "created" });
      // The job just created is now the newest of both lanes: the same expectation is out of date.
      const later = newJob({
        commit: COMMIT_C,
        services: ["api", "web"],
        expectedNewest,
        requestKey: { key: "k", ttlMs: MINUTE },
      });
      expect(await store.createJob(later)).toEqual({ status: "lane_moved", service: "api", newest: jobOf(created).id });
      expect(await store.createJob({ ...later, expectedNewest: { web: null } })).toEqual({
        status: "lane_moved",
        service: "web",
        newest: jobOf(created).id,
      });
      // Nothing of the refused job was stored: no job, no key, and the queued job it would have superseded is queued.
      expect(await store.getJob(later.id)).toBeUndefined();
      expect(await store.jobByKey("k", T0)).toBeUndefined();
      expect((await stored(store, jobOf(created).id)).state).toBe("queued");
    });

    test("answers a known request key before it checks expectedNewest", async () => {
      const store = await open();
      const first = jobOf(await store.createJob(newJob({ requestKey: { key: "k", ttlMs: MINUTE } })));
      const again = newJob({ requestKey: { key: "k", ttlMs: MINUTE }, expectedNewest: { api: null } });
      expect(await store.createJob(again)).toMatchObject({ status: "duplicate", job: { id: first.id } });
    });

    test("answers an equal job in flight (same env, commit in any case, same set of services) and points the keys to it", async () => {
      const store = await open();
      const first = jobOf(await store.createJob(newJob({ services: ["api", "web"], commit: COMMIT_A.toUpperCase() })));
      const twin = await store.createJob(
        newJob({
          services: ["web", "api"],
          commit: COMMIT_A,
          requestKey: { key: "request-1", ttlMs: MINUTE },
          deliveryKey: "delivery-1",
        }),
      );
      expect(twin).toMatchObject({ status: "duplicate", job: { id: first.id } });
      expect((await store.jobByKey("request-1", T0))?.id).toBe(first.id);
      expect((await store.jobByKey("delivery-1", T0))?.id).toBe(first.id);

      // Still in flight while running.
      await claim(store, "runner-1", T0);
      expect(await store.createJob(newJob({ services: ["api", "web"] }))).toMatchObject({
        status: "duplicate",
        job: { id: first.id, state: "running" },
      });
      // Another environment or another commit is another job.
      expect((await store.createJob(newJob({ env: "production", services: ["api", "web"] }))).status).toBe("created");
      expect((await store.createJob(newJob({ commit: COMMIT_B, services: ["api", "web"] }))).status).toBe("created");
    });

    test("creates the same job again once the earlier one ended", async () => {
      const store = await open();
      const first = jobOf(await store.createJob(newJob()));
      await runNext(store, T0 + 1_000);
      const again = await store.createJob(newJob({ at: T0 + 2_000 }));
      expect(again.status).toBe("created");
      expect(jobOf(again).id).not.toBe(first.id);
    });

    test("supersedes queued services of other jobs in the same lanes and ends those jobs with their last open service", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob({ services: ["api", "web"] })));
      const elsewhere = jobOf(await store.createJob(newJob({ env: "production", services: ["web"] })));
      const newer = jobOf(await store.createJob(newJob({ commit: COMMIT_B, services: ["web"], at: T0 + 1_000 })));

      const afterNewer = await stored(store, older.id);
      expect(afterNewer.services[1]).toEqual({
        service: "web",
        state: "superseded",
        reason: older.services[1]?.reason,
        attempts: 0,
        result: {
          service: "web",
          env: "staging",
          commit: COMMIT_A,
          status: "superseded",
          hashBefore: null,
          hashAfter: null,
          supersededBy: newer.id,
          durationMs: 0,
        },
      });
      // One service is terminal, so the job has started; api still waits.
      expect(afterNewer).toMatchObject({ state: "running", finishedAt: null, services: [{ state: "queued" }, {}] });
      expect((await stored(store, elsewhere.id)).services[0]?.state).toBe("queued");

      const newest = jobOf(await store.createJob(newJob({ commit: COMMIT_C, services: ["api"], at: T0 + 2_000 })));
      expect(await stored(store, older.id)).toMatchObject({
        state: "superseded",
        finishedAt: "2026-01-01T00:00:02.000Z",
        services: [{ state: "superseded", result: { supersededBy: newest.id } }, { state: "superseded" }],
      });
      expect((await stored(store, newer.id)).state).toBe("queued");
    });

    test("never supersedes a running service: the newer job waits for its lane", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob()));
      await claim(store, "runner-1", T0);
      const newer = jobOf(await store.createJob(newJob({ commit: COMMIT_B })));
      expect((await stored(store, older.id)).services[0]?.state).toBe("running");
      expect(await store.claimTask("runner-2", T0 + 1, 60_000)).toBeUndefined();
      await store.completeTask(older.id, "api", "runner-1", "succeeded", syncResult("api", "updated"), T0 + 2);
      expect((await claim(store, "runner-2", T0 + 3)).jobId).toBe(newer.id);
    });

    test("a job whose other services succeeded and the rest were superseded succeeded", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob({ services: ["api", "web"] })));
      await runNext(store, T0 + 1_000);
      await store.createJob(newJob({ commit: COMMIT_B, services: ["web"], at: T0 + 2_000 }));
      expect(await stored(store, older.id)).toMatchObject({
        state: "succeeded",
        finishedAt: "2026-01-01T00:00:02.000Z",
        services: [{ state: "succeeded" }, { state: "superseded" }],
      });
    });

    test("moves the synced commit when a branch-following job ends with every service succeeded, never backwards", async () => {
      const store = await open();
      await store.createJob(newJob({ services: ["api", "web"], cursor: { expected: null } }));
      await runNext(store, T0 + 1);
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_A, synced: null });
      await runNext(store, T0 + 2);
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_A, synced: COMMIT_A });

      const second = jobOf(
        await store.createJob(newJob({ commit: COMMIT_B, services: ["api"], cursor: { expected: COMMIT_A } })),
      );
      const third = jobOf(
        await store.createJob(newJob({ commit: COMMIT_C, services: ["web"], cursor: { expected: COMMIT_B } })),
      );
      await claim(store, "runner-1", T0 + 3);
      await claim(store, "runner-2", T0 + 3);
      await store.completeTask(third.id, "web", "runner-2", "succeeded", syncResult("web", "updated"), T0 + 4);
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_C, synced: COMMIT_C });
      // The older job ends last: synced stays at the newer commit.
      await store.completeTask(second.id, "api", "runner-1", "succeeded", syncResult("api", "updated"), T0 + 5);
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_C, synced: COMMIT_C });
    });

    test("leaves the synced commit when the job failed, was partly superseded, or does not follow the branch", async () => {
      const store = await open();
      await store.createJob(newJob({ cursor: { expected: null } }));
      await runNext(store, T0 + 1, "failed");
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_A, synced: null });

      await store.createJob(newJob({ commit: COMMIT_B }));
      await runNext(store, T0 + 2, "succeeded");
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_A, synced: null });

      const partly = jobOf(
        await store.createJob(newJob({ commit: COMMIT_C, services: ["api", "web"], cursor: { expected: COMMIT_A } })),
      );
      await runNext(store, T0 + 3);
      await store.createJob(newJob({ commit: COMMIT_B, services: ["web"], at: T0 + 4 }));
      expect((await stored(store, partly.id)).state).toBe("succeeded");
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_C, synced: null });
    });
  });
}
