import type { JobReport, JobState, SyncErrorCode, SyncJob, SyncResult } from "../../src/types.js";
import { COMMIT_A, environmentConfig } from "../store/store-fixtures.js";

/** One service of {@link reportJob}: its name, its state and, for a failed one, its error code. */
export type ServiceOutcome = [service: string, state: JobState, code?: SyncErrorCode];

function resultOf(job: Pick<SyncJob, "env" | "commit">, [service, state, code]: ServiceOutcome): SyncResult | null {
  if (state === "queued" || state === "running") {
    return null;
  }
  return {
    service,
    env: job.env,
    commit: job.commit,
    status: state === "succeeded" ? "updated" : state,
    ...(code === undefined ? {} : { error: { code, message: `${service} ended with ${code}` } }),
    hashBefore: null,
    hashAfter: null,
    durationMs: 10,
  };
}

/** A job as the store hands it to reporters: `staging` at {@link COMMIT_A}, `api` and `web` running, unless told. */
export function reportJob(overrides: Partial<Omit<SyncJob, "services">> = {}, services?: ServiceOutcome[]): SyncJob {
  const state = overrides.state ?? "running";
  const job = {
    id: "7f2c0e4a-1111-4222-8333-944455556666",
    env: "staging",
    commit: COMMIT_A,
    trigger: "webhook" as const,
    state,
    delivery: "delivery-1",
    triggeredBy: null,
    tag: null,
    ref: null,
    promotedFrom: null,
    rollbackOf: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    finishedAt: state === "queued" || state === "running" ? null : "2026-01-01T00:01:00.000Z",
    ...overrides,
  };
  const outcomes = services ?? [
    ["api", state],
    ["web", state],
  ];
  return {
    ...job,
    services: outcomes.map((outcome) => ({
      service: outcome[0],
      state: outcome[1],
      reason: { code: "changed", message: `${outcome[0]} changed` },
      attempts: 1,
      result: resultOf(job, outcome),
    })),
  };
}

/** The report of `job` in `phase`, with the environment config of its env. */
export function reportOf(phase: JobReport["phase"], job: SyncJob): JobReport {
  return { phase, job, environment: environmentConfig(job.env) };
}
