import type { EnvironmentConfig } from "@iac/sync";
import { describe, expect, test } from "vitest";
import type { ClaimedReport, JobStore } from "../../src/types.js";
import type { OpenStore } from "./describe-job-store.js";
import { COMMIT_B, newJob, T0 } from "./store-fixtures.js";
import { jobOf, runNext } from "./store-steps.js";

const LEASE_MS = 60_000;

async function claimed(store: JobStore, holder: string, now: number): Promise<ClaimedReport> {
  const report = await store.claimReport(holder, now, LEASE_MS);
  if (report === undefined) {
    expect.fail(`expected a due report for ${holder} at ${now}, received none`);
  }
  return report;
}

const delivered = (phase: "started" | "finished", memo: unknown = null) => ({
  github: { phase, memo: memo as null, attempts: 0 },
});

/** Conformance tests of the report queue: what is due when, leases, retries and what a save keeps. */
export function describeReports(open: OpenStore): void {
  describe("claimReport and saveReport", () => {
    test("hand out `started` for a new job, then nothing until it ends, then `finished` once", async () => {
      const store = await open();
      // Stored the way a runner without rollback, drift or notification settings stored environments.
      const legacy = { env: "staging", domainSuffix: "-staging", dokployEnvironment: "staging", dataPath: "/d" };
      const job = jobOf(await store.createJob(newJob({ environment: legacy as EnvironmentConfig })));
      const first = await claimed(store, "runner-1", T0);
      expect(first).toMatchObject({ phase: "started", job: { id: job.id, state: "queued" }, progress: {} });
      expect(first.environment).toMatchObject({ env: "staging", rollback: "off", reconcile: "report", notify: [] });
      expect(first.progress).toEqual({});
      expect(
        await store.saveReport(job.id, "runner-1", {
          sent: "started",
          progress: delivered("started", 7),
          notBefore: 0,
        }),
      ).toBe(true);
      expect(await store.claimReport("runner-1", T0 + 1, LEASE_MS)).toBeUndefined();

      await runNext(store, T0 + 2, "failed");
      const second = await claimed(store, "runner-1", T0 + 3);
      expect(second).toMatchObject({ phase: "finished", job: { id: job.id, state: "failed" } });
      expect(second.progress).toEqual(delivered("started", 7));
      await store.saveReport(job.id, "runner-1", { sent: "finished", progress: delivered("finished"), notBefore: 0 });
      expect(await store.claimReport("runner-1", T0 + 4, LEASE_MS)).toBeUndefined();
    });

    test("hand out only `finished` for a job that ended before its first report", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await runNext(store, T0 + 1);
      expect(await claimed(store, "runner-1", T0 + 2)).toMatchObject({ phase: "finished", job: { id: job.id } });
    });

    test("give a job to one holder until its lease runs out, then to another", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await claimed(store, "runner-1", T0);
      expect(await store.claimReport("runner-2", T0 + LEASE_MS - 1, LEASE_MS)).toBeUndefined();
      expect((await claimed(store, "runner-2", T0 + LEASE_MS + 1)).job.id).toBe(job.id);
      // The first holder's late save is refused: the job is the second's now.
      expect(await store.saveReport(job.id, "runner-1", { sent: "started", progress: {}, notBefore: 0 })).toBe(false);
      expect(await store.saveReport(job.id, "runner-2", { sent: "started", progress: {}, notBefore: 0 })).toBe(true);
    });

    test("wait for the retry time of a job that is still `none`, keeping the progress saved with it", async () => {
      const store = await open();
      const job = jobOf(await store.createJob(newJob()));
      await claimed(store, "runner-1", T0);
      const progress = { github: { phase: null, memo: { deployment: 42 }, attempts: 2 } };
      await store.saveReport(job.id, "runner-1", { sent: "none", progress, notBefore: T0 + 5_000 });
      expect(await store.claimReport("runner-1", T0 + 4_999, LEASE_MS)).toBeUndefined();
      expect((await claimed(store, "runner-1", T0 + 5_000)).progress).toEqual(progress);
    });

    test("hand out jobs oldest first, each to one claimer at a time", async () => {
      const store = await open();
      const older = jobOf(await store.createJob(newJob({ services: ["api"] })));
      const newer = jobOf(await store.createJob(newJob({ services: ["web"], commit: COMMIT_B })));
      expect((await claimed(store, "runner-1", T0)).job.id).toBe(older.id);
      expect((await claimed(store, "runner-2", T0)).job.id).toBe(newer.id);
      expect(await store.claimReport("runner-3", T0, LEASE_MS)).toBeUndefined();
    });

    test("answer undefined for a store without jobs, and refuse a save for an unknown job", async () => {
      const store = await open();
      expect(await store.claimReport("runner-1", T0, LEASE_MS)).toBeUndefined();
      expect(await store.saveReport("no-such-job", "runner-1", { sent: "finished", progress: {}, notBefore: 0 })).toBe(
        false,
      );
    });
  });
}
