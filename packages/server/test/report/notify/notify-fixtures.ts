import type { NotifyTarget } from "@iac/sync";
import type { JobReport, JobState, SyncJob } from "../../../src/types.js";
import { COMMIT_A, environmentConfig, syncResult } from "../../store/store-fixtures.js";

/** A finished production job of `state` deploying tag v1.2.4 with `api` (failed when the job failed) and `web`. */
export function finishedJob(state: JobState, overrides: Partial<SyncJob> = {}): SyncJob {
  const api = state === "failed" ? syncResult("api", "failed") : syncResult("api", "updated");
  return {
    id: "0f1e2d3c-job",
    env: "production",
    commit: COMMIT_A,
    trigger: "deploy",
    state,
    delivery: "req-1",
    triggeredBy: "ci",
    tag: "v1.2.4",
    ref: null,
    promotedFrom: null,
    rollbackOf: null,
    services: [
      { service: "api", state, reason: { code: "requested", message: "api was requested" }, attempts: 1, result: api },
      {
        service: "web",
        state: state === "failed" ? "succeeded" : state,
        reason: { code: "requested", message: "web was requested" },
        attempts: 2,
        result: syncResult("web", "skipped"),
      },
    ],
    createdAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:01:05.000Z",
    ...overrides,
  };
}

/** The `finished` report of `job` in an environment that notifies `targets`. */
export function finishedReport(job: SyncJob, targets: NotifyTarget[]): JobReport {
  return { phase: "finished", job, environment: { ...environmentConfig(job.env), notify: targets } };
}
