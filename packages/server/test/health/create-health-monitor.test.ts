import { describe, expect, it } from "vitest";
import { createHealthMonitor } from "../../src/health/create-health-monitor.js";

describe("createHealthMonitor", () => {
  it("reports healthy with pending checks before any check has run", () => {
    const monitor = createHealthMonitor({ checks: { git: () => new Promise(() => undefined) } });
    expect(monitor.report()).toEqual({
      status: "healthy",
      checks: { git: { status: "pending", consecutiveFailures: 0, checkedAt: null } },
    });
  });

  it("answers from the cache while a check hangs, and refreshes at most once per interval", async () => {
    let now = 0;
    let calls = 0;
    const monitor = createHealthMonitor({
      checks: {
        slow: () => {
          calls++;
          return new Promise(() => undefined);
        },
      },
      now: () => now,
      intervalMs: 1_000,
    });
    monitor.report();
    monitor.report();
    now = 500;
    monitor.report();
    expect(calls).toBe(1);
    expect(monitor.report().checks).toMatchObject({ slow: { status: "pending" } });
  });

  it("turns degraded only after the threshold of consecutive failures, and ok on the next success", async () => {
    let healthy = true;
    const monitor = createHealthMonitor({
      checks: { dokploy: async () => (healthy ? undefined : Promise.reject(new Error("Dokploy answered HTTP 502"))) },
      failureThreshold: 3,
    });
    await monitor.refresh();
    expect(monitor.report().checks).toMatchObject({ dokploy: { status: "ok" } });
    healthy = false;
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) {
      await monitor.refresh();
      const { status, checks } = monitor.report();
      statuses.push(`${status}/${Object.values(checks)[0]?.status}`);
    }
    expect(statuses).toEqual(["healthy/ok", "healthy/ok", "degraded/degraded"]);
    expect(monitor.report().checks).toMatchObject({
      dokploy: {
        consecutiveFailures: 3,
        error: "Dokploy answered HTTP 502",
      },
    });
    healthy = true;
    await monitor.refresh();
    expect(monitor.report()).toMatchObject({
      status: "healthy",
      checks: { dokploy: { status: "ok", consecutiveFailures: 0 } },
    });
  });

  it("fails a check that exceeds its timeout", async () => {
    const monitor = createHealthMonitor({
      checks: { vault: () => new Promise(() => undefined) },
      timeoutMs: 1,
      failureThreshold: 1,
    });
    await monitor.refresh();
    expect(monitor.report().checks).toMatchObject({ vault: { status: "degraded", error: "timed out" } });
  });
});
