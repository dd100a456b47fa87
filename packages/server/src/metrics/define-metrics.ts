import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Bounds of the sync duration histogram, in seconds: a skipped sync takes well under a second, a deploy minutes. */
const SYNC_DURATION_BUCKETS = [0.25, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

/** The metrics of one runner. */
export interface RunnerMetricSet {
  webhookDeliveries: Counter<"event" | "outcome">;
  signatureFailures: Counter<"endpoint" | "code">;
  syncs: Counter<"service" | "status">;
  syncDuration: Histogram<"service">;
  jobs: Gauge<"state">;
  queueDepth: Gauge;
  dependencyUp: Gauge<"dependency">;
  catchUpLag: Gauge;
  reportDeliveries: Counter<"reporter" | "outcome">;
  driftServices: Gauge<"env" | "state">;
  reconcileRounds: Counter<"outcome">;
  reconcileLastRound: Gauge;
}

/**
 * Every metric of a runner, registered in `registry` (the runner's own, never prom-client's global one). Label values
 * come from fixed vocabularies (see label-values.ts) or from the repository's catalog (service names), so the number
 * of series stays bounded whatever clients send.
 */
export function defineMetrics(registry: Registry): RunnerMetricSet {
  const registers = [registry];
  return {
    webhookDeliveries: new Counter({
      name: "iac_runner_webhook_deliveries_total",
      help: "Answers of POST /webhook by GitHub event and outcome (accepted, duplicate, ignored, no_changes, pong, or the error code of a refusal).",
      labelNames: ["event", "outcome"] as const,
      registers,
    }),
    signatureFailures: new Counter({
      name: "iac_runner_signature_failures_total",
      help: "Requests refused by the signature check, by endpoint (webhook, or ci for /deploy and /sync) and code.",
      labelNames: ["endpoint", "code"] as const,
      registers,
    }),
    syncs: new Counter({
      name: "iac_runner_syncs_total",
      help: "Finished sync attempts by service and status; skipped is a deploy avoided by a matching config hash, retried a transient failure sent back to the queue.",
      labelNames: ["service", "status"] as const,
      registers,
    }),
    syncDuration: new Histogram({
      name: "iac_runner_sync_duration_seconds",
      help: "Duration of finished sync attempts by service, deploy wait included.",
      labelNames: ["service"] as const,
      buckets: SYNC_DURATION_BUCKETS,
      registers,
    }),
    jobs: new Gauge({
      name: "iac_runner_jobs",
      help: "Jobs in the job store by state (history kept IAC_HISTORY_DAYS included); read from the store at scrape time.",
      labelNames: ["state"] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: "iac_runner_queue_depth",
      help: "Services waiting in the job store's queue (retries waiting for their time included); read at scrape time.",
      registers,
    }),
    dependencyUp: new Gauge({
      name: "iac_runner_dependency_up",
      help: "1 while a health check of /health is ok, 0 once it is degraded; no sample while it is pending.",
      labelNames: ["dependency"] as const,
      registers,
    }),
    catchUpLag: new Gauge({
      name: "iac_runner_catch_up_lag_seconds",
      help: "Seconds since the newest branch tip the runner saw was first seen, while DEPLOY_ENV has not synced it; 0 once synced.",
      registers,
    }),
    reportDeliveries: new Counter({
      name: "iac_runner_report_deliveries_total",
      help: "Attempts to report a job (GitHub, notifications, rollback) by reporter and outcome: delivered, retrying, refused (not retried) or gave_up.",
      labelNames: ["reporter", "outcome"] as const,
      registers,
    }),
    driftServices: new Gauge({
      name: "iac_runner_drift_services",
      help: "Services by drift state (in_sync, drifted, missing, not_done, unknown, pending) per environment (DEPLOY_ENV and every other one it checks), as the last drift detection round of this runner found them.",
      labelNames: ["env", "state"] as const,
      registers,
    }),
    reconcileRounds: new Counter({
      name: "iac_runner_reconcile_rounds_total",
      help: "Drift detection rounds run by this runner by outcome: ok, idle (nothing synced yet) or failed.",
      labelNames: ["outcome"] as const,
      registers,
    }),
    reconcileLastRound: new Gauge({
      name: "iac_runner_reconcile_last_round_timestamp_seconds",
      help: "Unix time of the end of this runner's last drift detection round.",
      registers,
    }),
  };
}
