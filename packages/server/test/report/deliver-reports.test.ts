import { describe, expect, test } from "vitest";
import { deliverReports, MAX_REPORT_ATTEMPTS, retryDelayMs } from "../../src/report/deliver-reports.js";
import { ReportPartial, ReportRefused } from "../../src/report/report-refused.js";
import type { ClaimedReport, SyncJob } from "../../src/types.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";
import { environmentConfig } from "../store/store-fixtures.js";
import { recordingReporter } from "./recording-reporter.js";
import { reportJob } from "./report-fixtures.js";

const NOW = 1_000_000;

function claimedReport(overrides: Partial<ClaimedReport> = {}, state: SyncJob["state"] = "queued"): ClaimedReport {
  const job = reportJob({ id: "job-1", state }, []);
  return { phase: "started", job, environment: environmentConfig(), progress: {}, ...overrides };
}

function deliver(claimed: ClaimedReport, reporters: Parameters<typeof deliverReports>[1], lines: LoggedLine[] = []) {
  const outcomes: string[] = [];
  const result = deliverReports(
    claimed,
    reporters,
    () => NOW,
    createLineLogger(lines),
    (name, outcome) => outcomes.push(`${name}:${outcome}`),
  );
  return result.then((outcome) => ({ outcome, outcomes }));
}

describe("deliverReports", () => {
  test("delivers the due phase to each reporter with its memo, and marks the phase sent", async () => {
    const github = recordingReporter("github", () => ({ deployment: 7 }));
    const notify = recordingReporter("notify");
    const claimed = claimedReport({ progress: { notify: { phase: null, memo: "kept", attempts: 0 } } });
    const { outcome, outcomes } = await deliver(claimed, [github, notify]);
    expect(github.calls).toEqual([{ phase: "started", job: "job-1", state: "queued", memo: null }]);
    expect(notify.calls).toEqual([{ phase: "started", job: "job-1", state: "queued", memo: "kept" }]);
    expect(outcome).toEqual({
      sent: "started",
      notBefore: 0,
      progress: {
        github: { phase: "started", memo: { deployment: 7 }, attempts: 0 },
        notify: { phase: "started", memo: 1, attempts: 0 },
      },
    });
    expect(outcomes).toEqual(["github:delivered", "notify:delivered"]);
  });

  test("skips reporters that already delivered the phase, and hands the finished phase the started memo", async () => {
    const github = recordingReporter("github", (_report, memo) => memo);
    const done = recordingReporter("done");
    const claimed = claimedReport(
      {
        phase: "finished",
        progress: {
          github: { phase: "started", memo: { deployment: 7 }, attempts: 0 },
          done: { phase: "finished", memo: null, attempts: 0 },
        },
      },
      "succeeded",
    );
    const { outcome } = await deliver(claimed, [github, done]);
    expect(github.calls).toEqual([{ phase: "finished", job: "job-1", state: "succeeded", memo: { deployment: 7 } }]);
    expect(done.calls).toEqual([]);
    expect(outcome.sent).toBe("finished");
  });

  test("keeps what a failing reporter had, still delivers to the others, and retries after its backoff", async () => {
    const lines: LoggedLine[] = [];
    const failing = recordingReporter("github", () => Promise.reject(new Error("503 from the API")));
    const notify = recordingReporter("notify");
    const claimed = claimedReport({ progress: { github: { phase: null, memo: { deployment: 7 }, attempts: 2 } } });
    const { outcome, outcomes } = await deliver(claimed, [failing, notify], lines);
    expect(outcome).toEqual({
      sent: "none",
      notBefore: NOW + retryDelayMs(3),
      progress: {
        github: { phase: null, memo: { deployment: 7 }, attempts: 3 },
        notify: { phase: "started", memo: 1, attempts: 0 },
      },
    });
    expect(outcomes).toEqual(["github:retrying", "notify:delivered"]);
    expect(lines).toEqual([
      expect.objectContaining({ level: "warn", reporter: "github", attempts: 3, msg: "report failed; retrying later" }),
    ]);
  });

  test("on a retry of the started phase, asks only the reporters that have not delivered it yet", async () => {
    const github = recordingReporter("github");
    const notify = recordingReporter("notify");
    const claimed = claimedReport({
      progress: {
        github: { phase: "started", memo: { deployment: 7 }, attempts: 0 },
        notify: { phase: null, memo: null, attempts: 1 },
      },
    });
    // Without an outcome callback (a runner without metrics) as well.
    const outcome = await deliverReports(claimed, [github, notify], () => NOW, createLineLogger([]));
    expect(github.calls).toEqual([]);
    expect(notify.calls).toEqual([{ phase: "started", job: "job-1", state: "queued", memo: null }]);
    expect(outcome).toEqual({
      sent: "started",
      notBefore: 0,
      progress: {
        github: { phase: "started", memo: { deployment: 7 }, attempts: 0 },
        notify: { phase: "started", memo: 1, attempts: 0 },
      },
    });
  });

  test("a failed finished phase leaves the job due again (sent stays started)", async () => {
    const failing = recordingReporter("notify", () => Promise.reject(new Error("timeout")));
    const { outcome } = await deliver(claimedReport({ phase: "finished" }, "failed"), [failing]);
    expect(outcome.sent).toBe("started");
    expect(outcome.notBefore).toBe(NOW + retryDelayMs(1));
  });

  test("keeps the memo of a partial delivery for the retry", async () => {
    const partial = recordingReporter("notify", () =>
      Promise.reject(new ReportPartial("one of two targets failed", { sent: [0] })),
    );
    const { outcome } = await deliver(claimedReport({ phase: "finished" }, "failed"), [partial]);
    expect(outcome.progress["notify"]).toEqual({ phase: null, memo: { sent: [0] }, attempts: 1 });
  });

  test("gives up at once on a refusal and after the last attempt otherwise, logging an error each time", async () => {
    const lines: LoggedLine[] = [];
    const refused = recordingReporter("github", () => Promise.reject(new ReportRefused("401: bad credentials")));
    const tired = recordingReporter("notify", () => Promise.reject(new Error("still down")));
    const claimed = claimedReport({
      progress: { notify: { phase: null, memo: "m", attempts: MAX_REPORT_ATTEMPTS - 1 } },
    });
    const { outcome, outcomes } = await deliver(claimed, [refused, tired], lines);
    expect(outcome).toEqual({
      sent: "started",
      notBefore: 0,
      progress: {
        github: { phase: "started", memo: null, attempts: 0 },
        notify: { phase: "started", memo: "m", attempts: 0 },
      },
    });
    expect(outcomes).toEqual(["github:refused", "notify:gave_up"]);
    expect(lines.map(({ level, msg }) => `${level}: ${msg}`)).toEqual([
      "error: report refused; not retried",
      "error: report given up after repeated failures",
    ]);
  });

  test("backs off 5 s, 10 s, 20 s … up to 10 minutes", () => {
    expect([1, 2, 3, 4, 8, 20].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 600_000, 600_000]);
  });
});
