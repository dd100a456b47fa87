import type { CatalogService, JobPlan } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { toNewJob } from "../../src/plan/to-new-job.js";

const SERVICE = { name: "postgres" } as CatalogService;
const PLAN: JobPlan = {
  trigger: "deploy",
  env: "production",
  commit: "e".repeat(40),
  environment: { vars: { REGION: "eu" } } as unknown as JobPlan["environment"],
  services: [
    {
      service: SERVICE,
      reason: { code: "all", message: "every automatic service" },
      extra: "not part of a job",
    } as unknown as JobPlan["services"][number],
  ],
  skipped: [],
};
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5, 6);

describe("toNewJob", () => {
  it("copies the plan, stamps the time and a fresh id, and carries every extra", () => {
    const job = toNewJob(PLAN, NOW, {
      delivery: "delivery-1",
      triggeredBy: "ci",
      tag: "v1.0.0",
      ref: "f".repeat(40),
      promotedFrom: "v0.9.3",
      rollbackOf: "failed-job",
      cursor: { expected: "a".repeat(40) },
      deliveryKey: "delivery:delivery-1",
      requestKey: { key: "request:abc", ttlMs: 1_000 },
    });
    expect(job).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      env: "production",
      commit: PLAN.commit,
      trigger: "deploy",
      environment: PLAN.environment,
      services: [{ service: SERVICE, reason: { code: "all", message: "every automatic service" } }],
      delivery: "delivery-1",
      triggeredBy: "ci",
      tag: "v1.0.0",
      ref: "f".repeat(40),
      promotedFrom: "v0.9.3",
      rollbackOf: "failed-job",
      createdAt: "2026-01-02T03:04:05.006Z",
      cursor: { expected: "a".repeat(40) },
      deliveryKey: "delivery:delivery-1",
      requestKey: { key: "request:abc", ttlMs: 1_000 },
    });
  });

  it("stores absent extras as null and keys as undefined, and gives every job its own id", () => {
    const first = toNewJob(PLAN, NOW, { cursor: undefined, deliveryKey: undefined, requestKey: undefined });
    const second = toNewJob(PLAN, NOW, { cursor: undefined, deliveryKey: undefined, requestKey: undefined });
    expect(first).toMatchObject({
      delivery: null,
      triggeredBy: null,
      tag: null,
      ref: null,
      promotedFrom: null,
      rollbackOf: null,
    });
    expect(first.cursor).toBeUndefined();
    expect(first.deliveryKey).toBeUndefined();
    expect(first.requestKey).toBeUndefined();
    expect(first.id).not.toBe(second.id);
  });
});
