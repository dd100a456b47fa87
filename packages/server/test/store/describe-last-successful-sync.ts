import { describe, expect, test } from "vitest";
import type { JobStore, NewJob } from "../../src/types.js";
import type { OpenStore } from "./describe-job-store.js";
import { COMMIT_A, COMMIT_B, COMMIT_C, catalogService, environmentConfig, newJob, T0 } from "./store-fixtures.js";
import { runNext } from "./store-steps.js";

/** Creates `job` and runs each of its services to `state`, in order. */
async function run(store: JobStore, job: NewJob, state: "succeeded" | "failed", at: number): Promise<void> {
  await store.createJob(job);
  for (const _ of job.services) {
    await runNext(store, at, state);
  }
}

/** Conformance tests of `lastSuccessfulSync`, which tells a rollback what to redeploy. */
export function describeLastSuccessfulSync(open: OpenStore): void {
  describe("lastSuccessfulSync", () => {
    test("is undefined for a lane without a succeeded service: empty, failed or still queued", async () => {
      const store = await open();
      expect(await store.lastSuccessfulSync("staging", "api")).toBeUndefined();
      await run(store, newJob({ services: ["api"] }), "failed", T0);
      await store.createJob(newJob({ commit: COMMIT_B, services: ["api"] }));
      expect(await store.lastSuccessfulSync("staging", "api")).toBeUndefined();
    });

    test("answers the newest success of the lane, with the definition and environment its job stored", async () => {
      const store = await open();
      const good = newJob({ services: ["api", "web"], environment: { ...environmentConfig(), rollback: "auto" } });
      const api = good.services[0];
      if (api !== undefined) {
        api.service = {
          ...catalogService("api"),
          env: { LOG_LEVEL: "debug" },
          probe: { url: "https://x/", timeoutSeconds: 5 },
        };
      }
      await run(store, good, "succeeded", T0);
      await run(store, newJob({ commit: COMMIT_B, services: ["api"] }), "failed", T0 + 1);
      const otherEnv = newJob({ env: "production", commit: COMMIT_C, services: ["api"] });
      await run(store, otherEnv, "succeeded", T0 + 2);
      const otherService = newJob({ commit: COMMIT_C, services: ["web"] });
      await run(store, otherService, "succeeded", T0 + 3);

      expect(await store.lastSuccessfulSync("staging", "api")).toEqual({
        jobId: good.id,
        commit: COMMIT_A,
        service: api?.service,
        environment: good.environment,
      });
      expect(await store.lastSuccessfulSync("staging", "web")).toMatchObject({
        jobId: otherService.id,
        commit: COMMIT_C,
      });
      expect(await store.lastSuccessfulSync("production", "api")).toMatchObject({ jobId: otherEnv.id });
      expect(await store.lastSuccessfulSync("production", "web")).toBeUndefined();
    });

    test("skips cancelled and superseded services, and a newer success replaces the older one", async () => {
      const store = await open();
      const first = newJob({ services: ["api"] });
      await run(store, first, "succeeded", T0);
      const cancelled = newJob({ commit: COMMIT_B, services: ["api"] });
      await store.createJob(cancelled);
      await store.cancelJob(cancelled.id, false, T0 + 1);
      const superseded = newJob({ commit: COMMIT_C, services: ["api"] });
      await store.createJob(superseded);
      const newest = newJob({ commit: COMMIT_B, services: ["api"] });
      await store.createJob(newest);
      expect((await store.getJob(superseded.id))?.state).toBe("superseded");
      expect((await store.getJob(cancelled.id))?.state).toBe("cancelled");
      expect(await store.lastSuccessfulSync("staging", "api")).toMatchObject({ jobId: first.id, commit: COMMIT_A });

      await runNext(store, T0 + 2, "succeeded");
      expect(await store.lastSuccessfulSync("staging", "api")).toMatchObject({ jobId: newest.id, commit: COMMIT_B });
    });
  });
}
