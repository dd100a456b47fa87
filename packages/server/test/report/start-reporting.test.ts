import { describe, expect, onTestFinished, test } from "vitest";
import { ReportRefused } from "../../src/report/report-refused.js";
import { type ReportingOptions, startReporting } from "../../src/report/start-reporting.js";
import { createPostgresStore } from "../../src/store/create-postgres-store.js";
import type { JobStore } from "../../src/types.js";
import { gate, settle } from "../helpers/gated-work.js";
import { createLineLogger, type LoggedLine, memoryStore } from "../helpers/runner-fixture.js";
import { createTestDatabase } from "../store/postgres-test-database.js";
import { COMMIT_B, newJob, T0 } from "../store/store-fixtures.js";
import { jobOf, runNext } from "../store/store-steps.js";
import { eventually, recordingReporter } from "./recording-reporter.js";

/** A report loop that a test's clock drives, stopped when the test ends. */
function start(options: Partial<ReportingOptions> & Pick<ReportingOptions, "store" | "reporters">) {
  const lines: LoggedLine[] = [];
  const reporting = startReporting({
    holder: "runner-1",
    logger: createLineLogger(lines),
    now: () => T0,
    intervalMs: 20,
    ...options,
  });
  onTestFinished(() => reporting.stop());
  return { reporting, lines };
}

describe("startReporting", () => {
  test("reports a job started once and finished once, in that order, with the memo carried over", async () => {
    const store = await memoryStore();
    const github = recordingReporter("github");
    start({ store, reporters: [github] });
    const job = jobOf(await store.createJob(newJob()));
    await eventually(() => expect(github.calls).toHaveLength(1));
    await runNext(store, T0 + 1, "failed");
    await eventually(() => expect(github.calls).toHaveLength(2));
    expect(github.calls).toEqual([
      { phase: "started", job: job.id, state: "queued", memo: null },
      { phase: "finished", job: job.id, state: "failed", memo: 1 },
    ]);
    // Nothing is due any more, however often the loop looks.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(github.calls).toHaveLength(2);
  });

  test("retries a failed reporter after its backoff and never repeats one that delivered", async () => {
    const store = await memoryStore();
    let now = T0;
    const flaky = recordingReporter("github", (_report, _memo, call) =>
      call === 1 ? Promise.reject(new Error("502 Bad Gateway")) : "ok",
    );
    const steady = recordingReporter("notify");
    const { reporting, lines } = start({ store, reporters: [flaky, steady], now: () => now });
    jobOf(await store.createJob(newJob()));
    await eventually(() => expect(flaky.calls).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(flaky.calls).toHaveLength(1);
    now = T0 + 5_000;
    reporting.wake();
    await eventually(() => expect(flaky.calls).toHaveLength(2));
    expect(steady.calls).toHaveLength(1);
    expect(lines.filter(({ level }) => level === "warn")).toEqual([
      expect.objectContaining({ reporter: "github", attempts: 1, retryInMs: 5_000 }),
    ]);
  });

  test("takes over a job whose runner died holding it, once that runner's lease ran out", async () => {
    const store = await memoryStore();
    const job = jobOf(await store.createJob(newJob()));
    // A runner claimed the job's reports and was killed before it saved anything.
    expect(await store.claimReport("dead-runner", T0, 2 * 60_000)).toBeDefined();
    let now = T0 + 60_000;
    const github = recordingReporter("github");
    const { reporting } = start({ store, reporters: [github], now: () => now });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(github.calls).toEqual([]);
    now = T0 + 2 * 60_000 + 1;
    reporting.wake();
    await eventually(() => expect(github.calls).toEqual([expect.objectContaining({ job: job.id, phase: "started" })]));
  });

  test("gives up on a refused report and moves on to the next phase", async () => {
    const store = await memoryStore();
    const refusing = recordingReporter("github", () => Promise.reject(new ReportRefused("404: no such repository")));
    start({ store, reporters: [refusing] });
    jobOf(await store.createJob(newJob()));
    await eventually(() => expect(refusing.calls).toHaveLength(1));
    await runNext(store, T0 + 1);
    await eventually(() => expect(refusing.calls.map(({ phase }) => phase)).toEqual(["started", "finished"]));
  });

  test("survives a store that fails for a while, then delivers", async () => {
    const real = await memoryStore();
    let failing = true;
    const store: JobStore = {
      ...real,
      claimReport: (...args) => (failing ? Promise.reject(new Error("database is locked")) : real.claimReport(...args)),
    };
    const github = recordingReporter("github");
    const { lines } = start({ store, reporters: [github] });
    jobOf(await real.createJob(newJob()));
    await eventually(() =>
      expect(lines.some(({ msg }) => msg === "claiming reports from the store failed")).toBe(true),
    );
    failing = false;
    await eventually(() => expect(github.calls).toHaveLength(1));
  });

  test("looks again when woken while it was already looking", async () => {
    const real = await memoryStore();
    const { promise, open } = gate();
    let claims = 0;
    const store: JobStore = {
      ...real,
      // The first look finds nothing, answering only once the job below exists and the loop was woken.
      claimReport: async (...args) => (++claims === 1 ? promise.then(() => undefined) : real.claimReport(...args)),
    };
    const github = recordingReporter("github");
    const { reporting } = start({ store, reporters: [github], intervalMs: 60_000 });
    const job = jobOf(await real.createJob(newJob()));
    reporting.wake();
    open();
    await eventually(() => expect(github.calls).toEqual([expect.objectContaining({ job: job.id, phase: "started" })]));
  });

  test("delivers four jobs at once: a fifth waits until one of them is done", async () => {
    const store = await memoryStore();
    const { promise, open } = gate();
    const held = recordingReporter("github", async (_report, memo) => {
      await promise;
      return memo;
    });
    // A loop that never looks by itself: only the end of a delivery makes it claim the fifth job.
    const { reporting } = start({ store, reporters: [held], intervalMs: 60_000 });
    for (let index = 0; index < 5; index++) {
      await store.createJob(newJob({ services: [`svc-${index}`] }));
    }
    reporting.wake();
    await eventually(() => expect(held.calls).toHaveLength(4));
    reporting.wake();
    // However often the loop looks meanwhile, the fifth job is not taken.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(held.calls).toHaveLength(4);
    open();
    await eventually(() => expect(held.calls).toHaveLength(5));
  });

  test("holds a job for two minutes while it delivers, and warns when its lease was taken over meanwhile", async () => {
    const store = await memoryStore();
    const { promise, open } = gate();
    const held = recordingReporter("github", async () => {
      await promise;
      return "late";
    });
    const { lines } = start({ store, reporters: [held] });
    const job = jobOf(await store.createJob(newJob()));
    await eventually(() => expect(held.calls).toHaveLength(1));
    expect(await store.claimReport("runner-2", T0 + 2 * 60_000 - 1, 60_000)).toBeUndefined();
    expect((await store.claimReport("runner-2", T0 + 2 * 60_000 + 1, 60_000))?.job.id).toBe(job.id);
    open();
    await eventually(() =>
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: "warn",
          job: job.id,
          msg: "report progress not saved: the job's lease ran out and was taken over",
        }),
      ),
    );
    // The new holder's claim stands: the late save changed nothing.
    expect(await store.saveReport(job.id, "runner-2", { sent: "started", progress: {}, notBefore: 0 })).toBe(true);
  });

  test("stop() waits for the deliveries under way, whose progress is saved", async () => {
    const store = await memoryStore();
    const { promise, open } = gate();
    const held = recordingReporter("github", async () => {
      await promise;
      return "done";
    });
    const { reporting } = start({ store, reporters: [held] });
    const job = jobOf(await store.createJob(newJob()));
    await eventually(() => expect(held.calls).toHaveLength(1));
    let stopped = false;
    const stopping = reporting.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    open();
    await stopping;
    // Saved before stop() resolved: nothing is due any more, and the memo is kept for the finished phase.
    expect(await store.claimReport("runner-2", T0, 60_000)).toBeUndefined();
    await runNext(store, T0 + 1);
    expect(await store.claimReport("runner-2", T0 + 2, 60_000)).toMatchObject({
      job: { id: job.id },
      progress: { github: { phase: "started", memo: "done", attempts: 0 } },
    });
  });

  test("claims nothing once stopped, even when woken", async () => {
    const store = await memoryStore();
    const github = recordingReporter("github");
    const { reporting } = start({ store, reporters: [github] });
    await reporting.stop();
    const job = jobOf(await store.createJob(newJob()));
    reporting.wake();
    // Longer than the loop's interval: a loop still running would have claimed the job by now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(github.calls).toEqual([]);
    expect((await store.claimReport("runner-2", T0, 60_000))?.job.id).toBe(job.id);
  });

  test("delivers again, once the lease ran out, a report whose progress could not be saved", async () => {
    const real = await memoryStore();
    let saves = 0;
    const store: JobStore = {
      ...real,
      saveReport: (...args) => {
        saves += 1;
        return saves === 1 ? Promise.reject(new Error("disk I/O error")) : real.saveReport(...args);
      },
    };
    let now = T0;
    const github = recordingReporter("github");
    const { reporting, lines } = start({ store, reporters: [github], now: () => now });
    const job = jobOf(await real.createJob(newJob()));
    await eventually(() => expect(lines.some(({ msg }) => msg === "delivering reports failed")).toBe(true));
    // Nothing was saved: the job stays claimed until its lease runs out, then its report goes out again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(github.calls).toHaveLength(1);
    now = T0 + 2 * 60_000 + 1;
    reporting.wake();
    await eventually(() => expect(github.calls).toHaveLength(2));
    expect(github.calls.map(({ job: id, phase }) => `${id} ${phase}`)).toEqual([
      `${job.id} started`,
      `${job.id} started`,
    ]);
    await eventually(() => expect(saves).toBe(2));
    expect(await real.claimReport("another", now + 1, 60_000)).toBeUndefined();
  });

  test("two runners on one PostgreSQL store report each job once", async () => {
    const database = await createTestDatabase();
    onTestFinished(() => database.drop());
    const stores = await Promise.all(
      [1, 2].map(() => createPostgresStore({ connectionString: database.connectionString, poolSize: 3 })),
    );
    onTestFinished(async () => {
      await Promise.all(stores.map((store) => store.close()));
    });
    const [first, second] = stores as [JobStore, JobStore];
    const a = recordingReporter("github");
    const b = recordingReporter("github");
    start({ store: first, reporters: [a], holder: "runner-a", intervalMs: 5 });
    start({ store: second, reporters: [b], holder: "runner-b", intervalMs: 5 });
    const ids: string[] = [];
    for (let index = 0; index < 12; index++) {
      const job = newJob({ services: [`svc-${index}`], ...(index % 2 === 0 ? { commit: COMMIT_B } : {}) });
      ids.push(jobOf(await first.createJob(job)).id);
    }
    await eventually(() => expect(a.calls.length + b.calls.length).toBe(12));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect([...a.calls, ...b.calls].map(({ job }) => job).sort()).toEqual([...ids].sort());
  });
});
