import { PlanError } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { createHealthMonitor, type HealthReport } from "../../src/health/create-health-monitor.js";
import { HttpError } from "../../src/http/http-error.js";
import { createRunnerMetrics, type RunnerMetricsDeps } from "../../src/metrics/create-runner-metrics.js";
import { StoreError } from "../../src/store/store-error.js";
import type {
  DriftRoundOutcome,
  DriftRoundReport,
  DriftState,
  EnvironmentDrift,
  HealthCheckState,
  SyncResult,
} from "../../src/types.js";
import { memoryStore } from "../helpers/runner-fixture.js";
import { newJob, T0 } from "../store/store-fixtures.js";
import { metricTypes, parseExposition, rowsOf, samplesOf, sampleValue } from "./parse-exposition.js";

async function deps(overrides: Partial<RunnerMetricsDeps> = {}): Promise<RunnerMetricsDeps> {
  return {
    store: await memoryStore(),
    git: { isAncestor: async () => false },
    health: createHealthMonitor({ checks: {} }),
    env: "staging",
    now: () => T0,
    ...overrides,
  };
}

function result(service: string, status: SyncResult["status"], durationMs: number): SyncResult {
  return { service, env: "staging", commit: "a".repeat(40), status, hashBefore: null, hashAfter: null, durationMs };
}

const attempt = { jobId: "job-1", trigger: "webhook", attempt: 1, retrying: false } as const;

describe("createRunnerMetrics", () => {
  it("exposes every metric family, named iac_runner_*, in the Prometheus text format", async () => {
    const metrics = createRunnerMetrics(await deps());
    expect(metrics.contentType).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(metricTypes(await metrics.expose())).toEqual({
      iac_runner_webhook_deliveries_total: "counter",
      iac_runner_signature_failures_total: "counter",
      iac_runner_syncs_total: "counter",
      iac_runner_sync_duration_seconds: "histogram",
      iac_runner_jobs: "gauge",
      iac_runner_queue_depth: "gauge",
      iac_runner_dependency_up: "gauge",
      iac_runner_catch_up_lag_seconds: "gauge",
      iac_runner_report_deliveries_total: "counter",
      iac_runner_drift_services: "gauge",
      iac_runner_reconcile_rounds_total: "counter",
      iac_runner_reconcile_last_round_timestamp_seconds: "gauge",
    });
  });

  it("counts report attempts by reporter and outcome", async () => {
    const metrics = createRunnerMetrics(await deps());
    metrics.reportDelivered("github", "delivered");
    metrics.reportDelivered("github", "delivered");
    metrics.reportDelivered("notify", "retrying");
    const samples = parseExposition(await metrics.expose());
    expect(rowsOf(samples, "iac_runner_report_deliveries_total", ["reporter", "outcome"])).toEqual([
      ["github", "delivered", 2],
      ["notify", "retrying", 1],
    ]);
  });

  it("counts webhook answers by event and outcome, bounding events GitHub may send to a fixed vocabulary", async () => {
    const metrics = createRunnerMetrics(await deps());
    metrics.webhookAnswered("push", "accepted");
    metrics.webhookAnswered("push", "accepted");
    metrics.webhookAnswered("ping", "pong");
    metrics.webhookAnswered("issues", "ignored");
    metrics.webhookAnswered("made-up-event-1", "ignored");
    metrics.webhookRefused("made-up-event-2", new HttpError(401, "invalid_signature", "no"));
    metrics.webhookRefused(null, new HttpError(401, "missing_signature", "no"));
    metrics.webhookRefused("push", new HttpError(415, "unsupported_media_type", "no"));
    metrics.webhookRefused("push", new PlanError("git_fetch_failed", "no"));
    metrics.webhookRefused("push", new StoreError("database down"));
    metrics.webhookRefused("push", new Error("a bug"));
    const samples = parseExposition(await metrics.expose());
    expect(samplesOf(samples, "iac_runner_webhook_deliveries_total")).toEqual(
      expect.arrayContaining([
        { name: "iac_runner_webhook_deliveries_total", labels: { event: "push", outcome: "accepted" }, value: 2 },
        { name: "iac_runner_webhook_deliveries_total", labels: { event: "ping", outcome: "pong" }, value: 1 },
        { name: "iac_runner_webhook_deliveries_total", labels: { event: "other", outcome: "ignored" }, value: 2 },
        {
          name: "iac_runner_webhook_deliveries_total",
          labels: { event: "other", outcome: "invalid_signature" },
          value: 1,
        },
        {
          name: "iac_runner_webhook_deliveries_total",
          labels: { event: "none", outcome: "missing_signature" },
          value: 1,
        },
      ]),
    );
    for (const outcome of ["unsupported_media_type", "git_fetch_failed", "store_unavailable", "internal_error"]) {
      expect(sampleValue(samples, "iac_runner_webhook_deliveries_total", { event: "push", outcome }), outcome).toBe(1);
    }
    expect(samplesOf(samples, "iac_runner_webhook_deliveries_total")).toHaveLength(9);
    // Only the refused signatures are signature failures.
    expect(samplesOf(samples, "iac_runner_signature_failures_total")).toEqual([
      {
        name: "iac_runner_signature_failures_total",
        labels: { endpoint: "webhook", code: "invalid_signature" },
        value: 1,
      },
      {
        name: "iac_runner_signature_failures_total",
        labels: { endpoint: "webhook", code: "missing_signature" },
        value: 1,
      },
    ]);
  });

  it("counts signature refusals of CI requests and nothing else they throw", async () => {
    const metrics = createRunnerMetrics(await deps());
    for (const code of ["stale_request", "replayed_request", "replayed_request", "timestamp_required"]) {
      metrics.ciRefused(new HttpError(401, code, "no"));
    }
    metrics.ciRefused(new StoreError("nonce table unreachable"));
    metrics.ciRefused(new HttpError(400, "invalid_json", "no"));
    const samples = parseExposition(await metrics.expose());
    expect(rowsOf(samples, "iac_runner_signature_failures_total", ["endpoint", "code"])).toEqual([
      ["ci", "stale_request", 1],
      ["ci", "replayed_request", 2],
      ["ci", "timestamp_required", 1],
    ]);
  });

  it("counts sync results per service and status, retried attempts apart, with a duration histogram per service", async () => {
    const metrics = createRunnerMetrics(await deps());
    metrics.syncFinished(result("postgres", "failed", 300), { ...attempt, retrying: true });
    metrics.syncFinished(result("postgres", "updated", 90_000), { ...attempt, attempt: 2 });
    metrics.syncFinished(result("redis", "skipped", 200), attempt);
    metrics.syncFinished(result("redis", "skipped", 100), attempt);
    const samples = parseExposition(await metrics.expose());
    expect(rowsOf(samples, "iac_runner_syncs_total", ["service", "status"])).toEqual([
      ["postgres", "retried", 1],
      ["postgres", "updated", 1],
      ["redis", "skipped", 2],
    ]);
    expect(sampleValue(samples, "iac_runner_sync_duration_seconds_count", { service: "postgres" })).toBe(2);
    expect(sampleValue(samples, "iac_runner_sync_duration_seconds_sum", { service: "postgres" })).toBe(90.3);
    expect(sampleValue(samples, "iac_runner_sync_duration_seconds_bucket", { service: "postgres", le: "1" })).toBe(1);
    expect(sampleValue(samples, "iac_runner_sync_duration_seconds_bucket", { service: "postgres", le: "120" })).toBe(2);
    expect(sampleValue(samples, "iac_runner_sync_duration_seconds_bucket", { service: "redis", le: "0.25" })).toBe(2);
  });

  it("reads jobs by state and the queue depth from the store at each scrape", async () => {
    const store = await memoryStore();
    const metrics = createRunnerMetrics(await deps({ store }));
    const jobs = (samples: ReturnType<typeof parseExposition>) =>
      Object.fromEntries(rowsOf(samples, "iac_runner_jobs", ["state"]));
    let samples = parseExposition(await metrics.expose());
    expect(jobs(samples)).toEqual({ queued: 0, running: 0, succeeded: 0, failed: 0, superseded: 0, cancelled: 0 });
    expect(sampleValue(samples, "iac_runner_queue_depth")).toBe(0);
    await store.createJob(newJob({ services: ["api", "web"] }));
    const cancelled = newJob({ services: ["db"] });
    await store.createJob(cancelled);
    await store.cancelJob(cancelled.id, false, T0);
    samples = parseExposition(await metrics.expose());
    expect(jobs(samples)).toMatchObject({ queued: 1, cancelled: 1 });
    expect(sampleValue(samples, "iac_runner_queue_depth")).toBe(2);
  });

  it("reports each health check as 1 (ok) or 0 (degraded) from the monitor's report, and no sample while pending", async () => {
    const state = (status: HealthCheckState["status"]): HealthCheckState => ({
      status,
      consecutiveFailures: status === "ok" ? 0 : 1,
      checkedAt: "2026-01-01T00:00:00.000Z",
    });
    let reports = 0;
    const health = {
      report: (): HealthReport => {
        reports += 1;
        return {
          status: "degraded",
          checks: { dokploy: state("ok"), vault: state("degraded"), git: state("pending") },
        };
      },
    };
    const metrics = createRunnerMetrics(await deps({ health }));
    const samples = parseExposition(await metrics.expose());
    expect(rowsOf(samples, "iac_runner_dependency_up", ["dependency"])).toEqual([
      ["dokploy", 1],
      ["vault", 0],
    ]);
    expect(reports).toBe(1);
  });

  it("drops a check's sample once it is pending again", async () => {
    const health = createHealthMonitor({ checks: { dokploy: async () => undefined } });
    await health.refresh();
    let checks: HealthReport["checks"] = health.report().checks;
    const metrics = createRunnerMetrics(await deps({ health: { report: () => ({ status: "healthy", checks }) } }));
    expect(
      sampleValue(parseExposition(await metrics.expose()), "iac_runner_dependency_up", { dependency: "dokploy" }),
    ).toBe(1);
    checks = { dokploy: { status: "pending", consecutiveFailures: 0, checkedAt: null } };
    expect(samplesOf(parseExposition(await metrics.expose()), "iac_runner_dependency_up")).toEqual([]);
  });

  it("keeps two runners' metrics apart: each has its own registry", async () => {
    const first = createRunnerMetrics(await deps());
    const second = createRunnerMetrics(await deps());
    first.webhookAnswered("ping", "pong");
    expect(
      sampleValue(parseExposition(await first.expose()), "iac_runner_webhook_deliveries_total", {
        event: "ping",
        outcome: "pong",
      }),
    ).toBe(1);
    expect(samplesOf(parseExposition(await second.expose()), "iac_runner_webhook_deliveries_total")).toEqual([]);
  });

  it("reports the catch-up lag of DEPLOY_ENV from the plans it saw and the store's cursor", async () => {
    const store = await memoryStore();
    let now = T0;
    const metrics = createRunnerMetrics(await deps({ store, now: () => now }));
    await store.initCursor("staging", "a".repeat(40));
    metrics.sawBranch("staging", { status: "ignored", reason: "unreachable", detail: "", tip: "b".repeat(40) }, true);
    now += 90_000;
    expect(sampleValue(parseExposition(await metrics.expose()), "iac_runner_catch_up_lag_seconds")).toBe(90);
  });

  it("lets a scrape fail with the store's error rather than report made-up counts", async () => {
    const store = await memoryStore();
    const metrics = createRunnerMetrics(
      await deps({ store: { ...store, countJobs: () => Promise.reject(new StoreError("down")) } }),
    );
    await expect(metrics.expose()).rejects.toBeInstanceOf(StoreError);
  });

  const driftOf = (env: string, outcome: DriftRoundOutcome, states: DriftState[]): EnvironmentDrift => ({
    env,
    commit: "a".repeat(40),
    outcome,
    detail: null,
    services: states.map((state, index) => ({
      service: `service-${index}`,
      commit: "a".repeat(40),
      state,
      expectedHash: null,
      actualHash: null,
      detail: state,
    })),
    corrections: [],
  });
  const round = (
    outcome: DriftRoundOutcome,
    states: DriftState[],
    environments: EnvironmentDrift[] = [],
  ): DriftRoundReport => ({
    ...driftOf("staging", outcome, states),
    checkedAt: new Date(T0).toISOString(),
    environments,
  });

  it("counts drift rounds by outcome, services per drift state, and the time of the last round", async () => {
    const metrics = createRunnerMetrics(await deps());
    metrics.driftChecked(round("ok", ["drifted", "in_sync", "in_sync", "pending"]));
    // A failed round keeps the counts of the last complete one.
    metrics.driftChecked(round("failed", ["unknown"]));
    metrics.driftChecked(round("idle", []));
    metrics.driftChecked(round("ok", ["missing", "in_sync", "in_sync", "in_sync"]));
    const samples = parseExposition(await metrics.expose());
    expect(rowsOf(samples, "iac_runner_drift_services", ["env", "state"])).toEqual([
      ["staging", "in_sync", 3],
      ["staging", "drifted", 0],
      ["staging", "missing", 1],
      ["staging", "not_done", 0],
      ["staging", "unknown", 0],
      ["staging", "pending", 0],
    ]);
    expect(rowsOf(samples, "iac_runner_reconcile_rounds_total", ["outcome"])).toEqual([
      ["ok", 2],
      ["failed", 1],
      ["idle", 1],
    ]);
    expect(sampleValue(samples, "iac_runner_reconcile_last_round_timestamp_seconds")).toBe(T0 / 1000);
  });

  it("counts the services of every environment of a round, a failed one keeping its last counts", async () => {
    const metrics = createRunnerMetrics(await deps());
    metrics.driftChecked(round("ok", ["in_sync"], [driftOf("production", "ok", ["drifted", "in_sync"])]));
    metrics.driftChecked(round("ok", ["drifted"], [driftOf("production", "failed", [])]));
    const samples = parseExposition(await metrics.expose());
    const rows = rowsOf(samples, "iac_runner_drift_services", ["env", "state"]).filter(([, , count]) => count !== 0);
    expect(rows).toEqual([
      ["staging", "drifted", 1],
      ["production", "in_sync", 1],
      ["production", "drifted", 1],
    ]);
    expect(rowsOf(samples, "iac_runner_reconcile_rounds_total", ["outcome"])).toEqual([["ok", 2]]);
  });
});
