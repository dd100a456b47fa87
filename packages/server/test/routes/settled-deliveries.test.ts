import { describe, expect, it } from "vitest";
import { createSettledDeliveries, SETTLED_DELIVERY_MS } from "../../src/routes/settled-deliveries.js";
import type { JobState, SyncJob } from "../../src/types.js";

const FINISHED = Date.parse("2026-01-01T00:00:00Z");

function job(id: string, state: JobState, finishedAt: number | null = FINISHED): SyncJob {
  return {
    id,
    env: "staging",
    commit: "b".repeat(40),
    trigger: "webhook",
    state,
    delivery: id,
    triggeredBy: null,
    tag: null,
    ref: "refs/heads/main",
    promotedFrom: null,
    rollbackOf: null,
    services: [],
    createdAt: new Date(FINISHED - 1_000).toISOString(),
    finishedAt: finishedAt === null ? null : new Date(finishedAt).toISOString(),
  };
}

describe("createSettledDeliveries", () => {
  it.each(["succeeded", "superseded"] as const)("remembers a delivery whose job %s, under its signature", (state) => {
    const deliveries = createSettledDeliveries();
    deliveries.remember("d-1", "sha256=aa", job("job-1", state));
    expect(deliveries.jobOf("d-1", "sha256=aa", FINISHED)).toBe("job-1");
    expect(deliveries.jobOf("d-1", "sha256=bb", FINISHED)).toBeUndefined();
    expect(deliveries.jobOf("d-2", "sha256=aa", FINISHED)).toBeUndefined();
  });

  it.each(["queued", "running", "failed", "cancelled"] as const)("does not remember a job that is %s", (state) => {
    const deliveries = createSettledDeliveries();
    deliveries.remember(
      "d-1",
      "sha256=aa",
      job("job-1", state, state === "queued" || state === "running" ? null : FINISHED),
    );
    expect(deliveries.jobOf("d-1", "sha256=aa", FINISHED)).toBeUndefined();
    expect(deliveries.size).toBe(0);
  });

  it("forgets a delivery once its job finished longer ago than any runner keeps for sure", () => {
    const deliveries = createSettledDeliveries();
    deliveries.remember("d-1", "sha256=aa", job("job-1", "succeeded"));
    expect(deliveries.jobOf("d-1", "sha256=aa", FINISHED + SETTLED_DELIVERY_MS - 1)).toBe("job-1");
    expect(deliveries.jobOf("d-1", "sha256=aa", FINISHED + SETTLED_DELIVERY_MS)).toBeUndefined();
    expect(deliveries.size).toBe(0);
    expect(SETTLED_DELIVERY_MS).toBeLessThan(24 * 60 * 60 * 1000);
  });

  it("holds at most its limit, forgetting the least recently used first", () => {
    const deliveries = createSettledDeliveries(3);
    for (const id of ["d-1", "d-2", "d-3"]) {
      deliveries.remember(id, "sig", job(`job-${id}`, "succeeded"));
    }
    // d-1 is used, so d-2 is now the least recently used.
    expect(deliveries.jobOf("d-1", "sig", FINISHED)).toBe("job-d-1");
    deliveries.remember("d-4", "sig", job("job-d-4", "succeeded"));
    expect(deliveries.size).toBe(3);
    expect(["d-1", "d-2", "d-3", "d-4"].map((id) => deliveries.jobOf(id, "sig", FINISHED))).toEqual([
      "job-d-1",
      undefined,
      "job-d-3",
      "job-d-4",
    ]);
    for (let index = 0; index < 100; index += 1) {
      deliveries.remember(`more-${index}`, "sig", job(`job-${index}`, "succeeded"));
    }
    expect(deliveries.size).toBe(3);
  });
});
