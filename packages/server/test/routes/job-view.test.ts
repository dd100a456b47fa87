import { describe, expect, it } from "vitest";
import { jobView } from "../../src/routes/job-view.js";
import type { JobService, SyncJob, SyncResult } from "../../src/types.js";

const UPSTREAM = "Dokploy said: build broke (registry.internal:5000)";

function entry(service: string, result: SyncResult | null): JobService {
  return {
    service,
    state: result === null ? "queued" : "failed",
    reason: { code: "all", message: "all" },
    attempts: 1,
    result,
  };
}

function result(extra: Partial<SyncResult>): SyncResult {
  return {
    service: "postgres",
    env: "staging",
    commit: "a".repeat(40),
    status: "failed",
    hashBefore: null,
    hashAfter: null,
    composeId: "compose-1",
    durationMs: 5,
    ...extra,
  };
}

const JOB: SyncJob = {
  id: "job-1",
  env: "staging",
  commit: "a".repeat(40),
  trigger: "deploy",
  state: "failed",
  delivery: "d-1",
  triggeredBy: null,
  tag: null,
  ref: null,
  promotedFrom: null,
  rollbackOf: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  finishedAt: "2026-01-01T00:01:00.000Z",
  services: [
    entry("postgres", result({ error: { code: "deploy_failed", message: UPSTREAM } })),
    entry(
      "redis",
      result({
        service: "redis",
        status: "cancelled",
        error: { code: "cancelled", message: "cancelled" },
        cancelActions: [
          { action: "compose.cleanQueues", ok: false, error: `cleanQueues failed: ${UPSTREAM}` },
          { action: "compose.killBuild", ok: true },
        ],
      }),
    ),
    entry("minio", result({ service: "minio", status: "updated", hashAfter: "h".repeat(64) })),
    entry("vault", null),
  ],
};

describe("jobView", () => {
  it("shows the job as it is to a detailed caller", () => {
    expect(jobView(JOB, true)).toBe(JOB);
  });

  it("shows error codes but never upstream text to anyone else, and keeps everything else", () => {
    const view = jobView(JOB, false);
    expect(view).toStrictEqual({
      ...JOB,
      services: [
        entry("postgres", result({ error: { code: "deploy_failed", message: "deploy_failed" } })),
        entry(
          "redis",
          result({
            service: "redis",
            status: "cancelled",
            error: { code: "cancelled", message: "cancelled" },
            cancelActions: [
              { action: "compose.cleanQueues", ok: false },
              { action: "compose.killBuild", ok: true },
            ],
          }),
        ),
        JOB.services[2],
        JOB.services[3],
      ],
    });
    expect(JSON.stringify(view)).not.toContain("registry.internal");
    expect(JOB.services[0]?.result?.error?.message).toBe(UPSTREAM);
  });

  it("adds no error or cancelActions field to a result that has none", () => {
    const [, , minio] = jobView(JOB, false).services;
    expect(Object.keys(minio?.result ?? {}).sort()).toEqual(
      ["commit", "composeId", "durationMs", "env", "hashAfter", "hashBefore", "service", "status"].sort(),
    );
  });
});
