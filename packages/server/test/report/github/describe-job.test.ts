import { describe, expect, it } from "vitest";
import { describeDeployment, describeFinish, describeStart } from "../../../src/report/github/describe-job.js";
import type { SyncJob } from "../../../src/types.js";
import { COMMIT_A } from "../../store/store-fixtures.js";
import { reportJob } from "../report-fixtures.js";

const ID = "7f2c0e4a-1111-4222-8333-944455556666";

describe("describeDeployment", () => {
  it.each<[string, Partial<SyncJob>, string]>([
    ["a push", { trigger: "webhook" }, "push"],
    ["a catch-up", { trigger: "catchup" }, "catch-up with the branch"],
    ["a sync request", { trigger: "sync" }, "sync request"],
    ["a drift correction", { trigger: "reconcile" }, "drift correction"],
    ["a rollback", { trigger: "rollback", rollbackOf: "job-0" }, "rollback of job job-0"],
    ["a rollback of no known job", { trigger: "rollback", rollbackOf: null }, "rollback of job unknown"],
    ["a deploy of a commit", { trigger: "deploy" }, `deploy of ${COMMIT_A.slice(0, 12)}`],
    ["a deploy of a branch", { trigger: "deploy", ref: "main" }, "deploy of main"],
    ["a deploy of a tag", { trigger: "deploy", tag: "v1", ref: "main" }, "deploy of tag v1"],
    [
      "a promotion",
      { trigger: "deploy", tag: "v1", promotedFrom: "v1-rc.2", triggeredBy: "ci" },
      "deploy of tag v1, promoted from v1-rc.2 by ci",
    ],
  ])("says what triggered %s", (_, overrides, summary) => {
    expect(describeDeployment(reportJob(overrides))).toBe(`${summary} (job ${ID})`);
  });
});

describe("describeStart and describeFinish", () => {
  it("name a rollback's target only for a rollback job that has one", () => {
    const rollback: Partial<SyncJob> = { trigger: "rollback", rollbackOf: "job-0" };
    expect(describeStart(reportJob(rollback))).toBe(`rolling back job job-0: deploying api, web (job ${ID})`);
    expect(describeFinish(reportJob({ ...rollback, state: "failed" }), "failed")).toBe(
      `rollback of job job-0 failed: api (failed), web (failed) (job ${ID})`,
    );
    const others: Partial<SyncJob>[] = [{ trigger: "rollback", rollbackOf: null }, { rollbackOf: "job-0" }];
    for (const overrides of others) {
      expect(describeStart(reportJob(overrides))).toBe(`deploying api, web (job ${ID})`);
      expect(describeFinish(reportJob({ ...overrides, state: "failed" }), "failed")).toBe(
        `failed: api (failed), web (failed) (job ${ID})`,
      );
    }
  });

  it("names a failed service without a result as failed", () => {
    const job = reportJob({ state: "failed" }, [["api", "failed"]]);
    const [api] = job.services;
    if (api !== undefined) {
      api.result = null;
    }
    expect(describeFinish(job, "failed")).toBe(`failed: api (failed) (job ${ID})`);
  });

  it("names the newer job of a superseded one, from whichever service knows it", () => {
    const job = reportJob({ state: "superseded" }, [
      ["api", "superseded"],
      ["web", "superseded"],
    ]);
    expect(describeFinish(job, "superseded")).toBe(`superseded by a newer job (job ${ID})`);
    const [api, web] = job.services;
    if (api === undefined || web?.result == null) {
      throw new Error("fixture without services");
    }
    api.result = null;
    web.result.supersededBy = "job-9";
    expect(describeFinish(job, "superseded")).toBe(`superseded by job job-9 (job ${ID})`);
  });

  it("keeps a description of exactly 140 characters whole, and cuts one longer with an ellipsis", () => {
    const suffix = ` (job ${ID})`;
    const fits = "s".repeat(140 - suffix.length - "deploying ".length);
    expect(describeStart(reportJob({}, [[fits, "running"]]))).toBe(`deploying ${fits}${suffix}`);
    const long = describeStart(reportJob({}, [[`${fits}t`, "running"]]));
    expect(long).toBe(`deploying ${fits.slice(0, -1)}…${suffix}`);
    expect(long).toHaveLength(140);
  });

  it("stays within 140 characters even for a job id longer than that", () => {
    const id = "j".repeat(150);
    expect(describeStart(reportJob({ id }))).toBe(`… (job ${id}`.slice(0, 140));
  });
});
