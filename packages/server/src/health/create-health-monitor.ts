import type { HealthCheck, HealthCheckState } from "../types.js";

/** Options of {@link createHealthMonitor}. */
export interface HealthMonitorOptions {
  checks: Readonly<Record<string, HealthCheck>>;
  /** Milliseconds since the epoch; defaults to `Date.now`. */
  now?: (() => number) | undefined;
  /** A report older than this triggers a background refresh (default 30 s). */
  intervalMs?: number | undefined;
  /** Consecutive failures before a check reports `degraded` (default 3), so one blip never flaps the status. */
  failureThreshold?: number | undefined;
  /** A check that takes longer fails (default 5 s). */
  timeoutMs?: number | undefined;
}

/** What `/health` reports about dependencies. */
export interface HealthReport {
  status: "healthy" | "degraded";
  checks: Record<string, HealthCheckState>;
}

/** Cached dependency checks behind `/health`. */
export interface HealthMonitor {
  /** The cached states, at once; starts a background refresh when they are older than the interval. */
  report(): HealthReport;
  /** Runs every check now (one refresh at a time) and resolves when they have all settled. */
  refresh(): Promise<void>;
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && error.name === "AbortError") {
    return "timed out";
  }
  return error instanceof Error ? error.message : "failed";
}

/**
 * Creates the health monitor. Reports never wait for a check: they return the last known states and refresh them in
 * the background at most once per interval. A check turns `degraded` only after `failureThreshold` consecutive
 * failures and back to `ok` on its first success; a runner whose checks have not run yet is healthy.
 */
export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 30_000;
  const failureThreshold = options.failureThreshold ?? 3;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const states = new Map<string, HealthCheckState>(
    Object.keys(options.checks).map((name) => [name, { status: "pending", consecutiveFailures: 0, checkedAt: null }]),
  );
  let lastRefresh = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;

  async function runCheck(name: string, check: HealthCheck): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let failure: string | undefined;
    try {
      await Promise.race([
        check(controller.signal),
        new Promise<never>((_, reject) => {
          controller.signal.addEventListener("abort", () => reject(new Error("timed out")), { once: true });
        }),
      ]);
    } catch (error) {
      failure = describeFailure(error);
    } finally {
      clearTimeout(timer);
    }
    const previous = states.get(name);
    const consecutiveFailures = failure === undefined ? 0 : (previous?.consecutiveFailures ?? 0) + 1;
    const status =
      failure === undefined
        ? "ok"
        : consecutiveFailures >= failureThreshold
          ? "degraded"
          : previous?.status === "degraded"
            ? "degraded"
            : (previous?.status ?? "pending");
    states.set(name, {
      status,
      consecutiveFailures,
      checkedAt: new Date(now()).toISOString(),
      ...(failure === undefined ? {} : { error: failure }),
    });
  }

  function refresh(): Promise<void> {
    if (running === undefined) {
      lastRefresh = now();
      running = Promise.all(Object.entries(options.checks).map(([name, check]) => runCheck(name, check))).then(() => {
        running = undefined;
      });
    }
    return running;
  }

  return {
    report() {
      if (now() - lastRefresh >= intervalMs) {
        void refresh();
      }
      const checks = Object.fromEntries([...states].map(([name, state]) => [name, { ...state }]));
      const degraded = Object.values(checks).some((state) => state.status === "degraded");
      return { status: degraded ? "degraded" : "healthy", checks };
    },
    refresh,
  };
}
