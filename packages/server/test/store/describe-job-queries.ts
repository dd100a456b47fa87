import { describe, expect, test } from "vitest";
import type { JobStore } from "../../src/types.js";
import type { OpenStore } from "./describe-job-store.js";
import { COMMIT_A, COMMIT_B, COMMIT_C, newJob, syncResult, T0 } from "./store-fixtures.js";
import { claim, jobOf, runNext } from "./store-steps.js";

const ids = async (store: JobStore, query: Parameters<JobStore["listJobs"]>[0]): Promise<string[]> =>
  (await store.listJobs(query)).jobs.map((job) => job.id);

/**
 * Conformance tests of the read side: listJobs, jobByKey, hasPendingWork, the counts of `GET /metrics` and the
 * environment cursor.
 */
export function describeJobQueries(open: OpenStore): void {
  describe("listJobs", () => {
    // j1 and j3 are superseded by j4, which takes over both of their lanes.
    const seed = async (store: JobStore): Promise<string[]> => {
      const jobs = [
        newJob({ services: ["api"] }),
        newJob({ env: "production", services: ["api"] }),
        newJob({ services: ["web"] }),
        newJob({ commit: COMMIT_B, services: ["api", "web"] }),
        newJob({ commit: COMMIT_C, services: ["db"] }),
      ];
      for (const job of jobs) {
        await store.createJob(job);
      }
      return jobs.map((job) => job.id);
    };

    test("lists newest first, filtered by environment, service and state", async () => {
      const store = await open();
      const [j1, j2, j3, j4, j5] = await seed(store);
      expect(await store.listJobs({ limit: 10 })).toMatchObject({
        jobs: [{ id: j5 }, { id: j4 }, { id: j3 }, { id: j2 }, { id: j1 }],
        nextCursor: null,
      });
      expect(await ids(store, { limit: 10, env: "production" })).toEqual([j2]);
      expect(await ids(store, { limit: 10, service: "web" })).toEqual([j4, j3]);
      expect(await ids(store, { limit: 10, state: "superseded" })).toEqual([j3, j1]);
      expect(await ids(store, { limit: 10, state: "queued" })).toEqual([j5, j4, j2]);
      expect(await ids(store, { limit: 10, env: "staging", service: "api", state: "queued" })).toEqual([j4]);
      expect(await ids(store, { limit: 10, env: "nowhere" })).toEqual([]);
      // Each job comes with its services in order.
      expect((await store.listJobs({ limit: 1, service: "web" })).jobs[0]?.services.map((s) => s.service)).toEqual([
        "api",
        "web",
      ]);
    });

    test("pages with an opaque cursor until nextCursor is null", async () => {
      const store = await open();
      const [j1, j2, j3, j4, j5] = await seed(store);
      const first = await store.listJobs({ limit: 2 });
      expect(first.jobs.map((job) => job.id)).toEqual([j5, j4]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await store.listJobs({ limit: 2, cursor: first.nextCursor ?? undefined });
      expect(second.jobs.map((job) => job.id)).toEqual([j3, j2]);
      const third = await store.listJobs({ limit: 2, cursor: second.nextCursor ?? undefined });
      expect(third).toMatchObject({ jobs: [{ id: j1 }], nextCursor: null });

      // With a filter, a full last page still ends with a null cursor.
      const staging = await store.listJobs({ limit: 2, env: "staging" });
      expect(staging.jobs.map((job) => job.id)).toEqual([j5, j4]);
      expect(await store.listJobs({ limit: 2, env: "staging", cursor: staging.nextCursor ?? undefined })).toMatchObject(
        {
          jobs: [{ id: j3 }, { id: j1 }],
          nextCursor: null,
        },
      );
    });

    test("rejects a malformed cursor or an out-of-range limit with a TypeError", async () => {
      const store = await open();
      await seed(store);
      const numeric = Buffer.from("12abc").toString("base64url");
      for (const cursor of ["", "not a cursor!", "%%%", numeric, Buffer.from("-1").toString("base64url")]) {
        await expect(store.listJobs({ limit: 2, cursor }), cursor).rejects.toThrow(/invalid cursor/);
        await expect(store.listJobs({ limit: 2, cursor })).rejects.toBeInstanceOf(TypeError);
      }
      for (const limit of [0, 101, 1.5]) {
        await expect(store.listJobs({ limit })).rejects.toThrow(/invalid limit: expected an integer from 1 to 100/);
      }
    });
  });

  describe("jobByKey", () => {
    test("finds the job of a live request key or of a delivery key", async () => {
      const store = await open();
      const job = jobOf(
        await store.createJob(newJob({ requestKey: { key: "request-1", ttlMs: 1_000 }, deliveryKey: "delivery-1" })),
      );
      expect((await store.jobByKey("request-1", T0 + 999))?.id).toBe(job.id);
      expect(await store.jobByKey("request-1", T0 + 1_000)).toBeUndefined();
      expect((await store.jobByKey("delivery-1", T0 + 1_000_000))?.services).toHaveLength(1);
      expect(await store.jobByKey("unknown", T0)).toBeUndefined();
    });
  });

  describe("hasPendingWork", () => {
    test("is true while a service is queued or running", async () => {
      const store = await open();
      expect(await store.hasPendingWork()).toBe(false);
      await store.createJob(newJob());
      expect(await store.hasPendingWork()).toBe(true);
      await claim(store, "runner-1", T0);
      expect(await store.hasPendingWork()).toBe(true);
      await store.completeTask(
        (await store.listJobs({ limit: 1 })).jobs[0]?.id ?? "",
        "api",
        "runner-1",
        "succeeded",
        {
          service: "api",
          env: "staging",
          commit: COMMIT_A,
          status: "skipped",
          hashBefore: "h",
          hashAfter: "h",
          durationMs: 1,
        },
        T0 + 1,
      );
      expect(await store.hasPendingWork()).toBe(false);
    });
  });

  describe("countJobs and countQueuedTasks", () => {
    test("are zero for every state of an empty store", async () => {
      const store = await open();
      expect(await store.countJobs()).toEqual({
        queued: 0,
        running: 0,
        succeeded: 0,
        failed: 0,
        superseded: 0,
        cancelled: 0,
      });
      expect(await store.countQueuedTasks()).toBe(0);
    });

    test("count jobs by state and the services still queued, retries waiting for their time included", async () => {
      const store = await open();
      // j1 is superseded by j2 (same lane); j3 and j4 run one service each to an end; j5 waits with two services.
      await store.createJob(newJob({ services: ["api"] }));
      await store.createJob(newJob({ commit: COMMIT_B, services: ["api"] }));
      await store.createJob(newJob({ services: ["web"] }));
      await store.createJob(newJob({ services: ["db"] }));
      await store.createJob(newJob({ env: "production", services: ["api", "web"] }));
      expect(await store.countQueuedTasks()).toBe(5);
      await runNext(store, T0 + 1); // j2's api succeeds
      await runNext(store, T0 + 2, "failed"); // j3's web fails
      const retried = await claim(store, "runner-1", T0 + 3); // j4's db goes back to the queue for later
      expect(
        await store.retryTask(retried.jobId, "db", "runner-1", T0 + 60_000, syncResult("db", "failed"), T0 + 3),
      ).toBe(true);
      await claim(store, "runner-1", T0 + 4); // production's api runs
      expect(await store.countJobs()).toEqual({
        queued: 0,
        running: 2,
        succeeded: 1,
        failed: 1,
        superseded: 1,
        cancelled: 0,
      });
      // db waiting for its retry and production's web.
      expect(await store.countQueuedTasks()).toBe(2);
      const production = (await store.listJobs({ limit: 1, env: "production" })).jobs[0]?.id ?? "";
      await store.cancelJob(production, false, T0 + 5);
      expect(await store.countQueuedTasks()).toBe(1);
    });
  });

  describe("cursor and initCursor", () => {
    test("initCursor sets both commits of an environment that has none yet", async () => {
      const store = await open();
      expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
      expect(await store.initCursor("staging", COMMIT_A)).toBe(true);
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_A, synced: COMMIT_A });
      expect(await store.initCursor("staging", COMMIT_B)).toBe(false);
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_A, synced: COMMIT_A });
      expect((await store.createJob(newJob({ commit: COMMIT_B, cursor: { expected: COMMIT_A } }))).status).toBe(
        "created",
      );
      await runNext(store, T0 + 1);
      expect(await store.cursor("staging")).toEqual({ planned: COMMIT_B, synced: COMMIT_B });
    });

    test("initCursor leaves an environment that already planned a commit", async () => {
      const store = await open();
      await store.createJob(newJob({ env: "production", cursor: { expected: null } }));
      expect(await store.initCursor("production", COMMIT_B)).toBe(false);
      expect(await store.cursor("production")).toEqual({ planned: COMMIT_A, synced: null });
    });
  });
}
