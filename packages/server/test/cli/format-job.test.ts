import { describe, expect, it } from "vitest";
import { formatJob } from "../../src/cli/format-job.js";
import type { SyncJob } from "../../src/types.js";

const job: SyncJob = {
  id: "job-2",
  env: "production",
  commit: "a".repeat(40),
  trigger: "deploy",
  state: "succeeded",
  delivery: null,
  triggeredBy: "release",
  tag: "v1.2.0",
  ref: null,
  promotedFrom: null,
  rollbackOf: null,
  services: [],
  createdAt: "2026-01-01T00:00:00.000Z",
  finishedAt: "2026-01-01T00:01:00.000Z",
};

describe("formatJob", () => {
  it("names the staging tag a production deploy promotes", () => {
    expect(formatJob({ ...job, promotedFrom: "v1.2.0-rc.1" })).toBe(
      [
        "deployment job-2: succeeded",
        `  production: tag v1.2.0, commit ${"a".repeat(12)}, promoted from v1.2.0-rc.1`,
        "  deploy by release, created 2026-01-01T00:00:00.000Z, finished 2026-01-01T00:01:00.000Z",
        "",
      ].join("\n"),
    );
  });

  it("names the deployment a rollback undoes", () => {
    const rollback = { ...job, trigger: "rollback" as const, tag: null, triggeredBy: null, rollbackOf: "job-1" };
    expect(formatJob(rollback).split("\n").slice(1, 3)).toEqual([
      `  production: commit ${"a".repeat(12)}`,
      "  rollback, rolling back deployment job-1, created 2026-01-01T00:00:00.000Z, finished 2026-01-01T00:01:00.000Z",
    ]);
  });
});
