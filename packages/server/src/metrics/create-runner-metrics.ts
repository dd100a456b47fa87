import { Registry } from "prom-client";
import type { HealthMonitor } from "../health/create-health-monitor.js";
import type { BranchJobOutcome } from "../plan/submit-branch-job.js";
import type { DeliveryOutcome } from "../report/deliver-reports.js";
import { JOB_STATES } from "../store/job-states.js";
import type { DriftRoundReport, DriftState, GitMirror, JobStore, SyncAttempt, SyncResult } from "../types.js";
import { createBranchLag } from "./branch-lag.js";
import { defineMetrics } from "./define-metrics.js";
import { labelCounts } from "./label-counts.js";
import { errorCode, eventLabel, isSignatureCode, type WebhookOutcome } from "./label-values.js";

/** What {@link createRunnerMetrics} reads at scrape time. */
export interface RunnerMetricsDeps {
  store: Pick<JobStore, "countJobs" | "countQueuedTasks" | "cursor">;
  git: Pick<GitMirror, "isAncestor">;
  health: Pick<HealthMonitor, "report">;
  /** `DEPLOY_ENV`. */
  env: string;
  now: () => number;
}

/** The metrics of one runner: counted where things are decided, exposed by `GET /metrics`. */
export interface RunnerMetrics {
  /** A delivery `/webhook` answered without an error. */
  webhookAnswered(event: string, outcome: WebhookOutcome): void;
  /** A delivery `/webhook` refused (or failed on); counts a signature failure too when it was one. */
  webhookRefused(event: string | null, error: unknown): void;
  /** A `/deploy` or `/sync` request whose signature check threw `error`; anything but a signature refusal is ignored. */
  ciRefused(error: unknown): void;
  /** The engine's `onResult` observer. */
  syncFinished(result: SyncResult, attempt: SyncAttempt): void;
  /** One reporter's attempt at one job's report. */
  reportDelivered(reporter: string, outcome: DeliveryOutcome): void;
  /** Told of every plan of the branch, for the catch-up lag. */
  sawBranch(env: string, outcome: BranchJobOutcome, followsBranch: boolean): void;
  /** A drift detection round ended. */
  driftChecked(report: DriftRoundReport): void;
  /** The Prometheus text exposition, the gauges read from the store and the health monitor first. */
  expose(): Promise<string>;
  /** `text/plain; version=0.0.4; charset=utf-8`. */
  readonly contentType: string;
}

const DRIFT_STATES: readonly DriftState[] = ["in_sync", "drifted", "missing", "not_done", "unknown", "pending"];

/**
 * Creates the metrics of one runner in a registry of its own, so two runners in one process never share or clash.
 * Counters start when the runner does; the gauges are read at scrape time (one store query each, the cached health
 * checks, the cursor of `DEPLOY_ENV`).
 */
export function createRunnerMetrics(deps: RunnerMetricsDeps): RunnerMetrics {
  const registry = new Registry();
  const metrics = defineMetrics(registry);
  const delivery = labelCounts(metrics.webhookDeliveries, "event", "outcome");
  const signature = labelCounts(metrics.signatureFailures, "endpoint", "code");
  const syncs = labelCounts(metrics.syncs, "service", "status");
  const reports = labelCounts(metrics.reportDeliveries, "reporter", "outcome");
  const lag = createBranchLag(deps);

  const countSignature = (endpoint: "webhook" | "ci", code: string): void => {
    if (isSignatureCode(code)) {
      signature.inc(endpoint, code);
    }
  };

  const readGauges = async (): Promise<void> => {
    const [jobs, queued, lagSeconds] = await Promise.all([
      deps.store.countJobs(),
      deps.store.countQueuedTasks(),
      lag.seconds(),
    ]);
    for (const state of JOB_STATES) {
      metrics.jobs.set({ state }, jobs[state]);
    }
    metrics.queueDepth.set(queued);
    metrics.catchUpLag.set(lagSeconds);
    // report() answers from the monitor's cache; it refreshes in the background at most once per interval.
    metrics.dependencyUp.reset();
    for (const [dependency, state] of Object.entries(deps.health.report().checks)) {
      if (state.status !== "pending") {
        metrics.dependencyUp.set({ dependency }, state.status === "ok" ? 1 : 0);
      }
    }
  };

  return {
    webhookAnswered(event, outcome) {
      delivery.inc(eventLabel(event), outcome);
    },
    webhookRefused(event, error) {
      const code = errorCode(error);
      delivery.inc(eventLabel(event), code);
      countSignature("webhook", code);
    },
    ciRefused(error) {
      countSignature("ci", errorCode(error));
    },
    syncFinished(result, attempt) {
      syncs.inc(result.service, attempt.retrying ? "retried" : result.status);
      metrics.syncDuration.observe({ service: result.service }, result.durationMs / 1000);
    },
    reportDelivered(reporter, outcome) {
      reports.inc(reporter, outcome);
    },
    sawBranch: lag.saw,
    driftChecked(report) {
      metrics.reconcileRounds.inc({ outcome: report.outcome });
      metrics.reconcileLastRound.set(deps.now() / 1000);
      for (const environment of [report, ...report.environments]) {
        // A failed environment compared nothing (or part of it): its last complete count stays.
        if (environment.outcome === "failed") {
          continue;
        }
        const counts = Object.fromEntries(DRIFT_STATES.map((state) => [state, 0])) as Record<DriftState, number>;
        for (const drift of environment.services) {
          counts[drift.state] += 1;
        }
        for (const state of DRIFT_STATES) {
          metrics.driftServices.set({ env: environment.env, state }, counts[state]);
        }
      }
    },
    async expose() {
      await readGauges();
      delivery.flush();
      signature.flush();
      syncs.flush();
      reports.flush();
      return registry.metrics();
    },
    contentType: registry.contentType,
  };
}
