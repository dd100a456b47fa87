import { startLeasedRounds } from "../loop/start-leased-rounds.js";
import type { DriftReport, DriftRoundReport, JobStore } from "../types.js";
import { createDriftLog } from "./drift-log.js";
import { type DriftRoundDeps, runDriftRound } from "./run-drift-round.js";
import { uncheckedReport } from "./unchecked-report.js";

/** Options of {@link startReconcile}. */
export interface ReconcileOptions {
  deps: DriftRoundDeps;
  store: Pick<JobStore, "acquireLease">;
  /** Who holds the drift detection lease (the runner id). */
  holder: string;
  /** Told of every finished round (the metrics). */
  onReport?: ((report: DriftRoundReport) => void) | undefined;
}

/** The running drift detection. */
export interface Reconciler {
  /** The first round, run at start. */
  readonly first: Promise<void>;
  /** The last round's report, or why there is none. */
  report(): DriftReport;
  /** Schedules no more rounds and resolves once the round in flight (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Detects drift between Dokploy and what the runner deployed: at start, then every `deps.intervalMs`, by one runner at
 * a time among those sharing a store (a named lease per environment). Only that runner has a report; the others
 * answer that another runner checks.
 */
export function startReconcile(options: ReconcileOptions): Reconciler {
  const { deps } = options;
  const log = createDriftLog(deps.logger);
  let latest = uncheckedReport(deps.env, "the first round has not finished yet");
  const rounds = startLeasedRounds({
    store: options.store,
    lease: `reconcile:${deps.env}`,
    holder: options.holder,
    now: deps.now,
    intervalMs: deps.intervalMs,
    async round() {
      const report = await runDriftRound(deps);
      latest = report;
      log(report);
      options.onReport?.(report);
    },
    onBusy() {
      deps.logger.debug({}, "another runner checks drift");
      latest = uncheckedReport(deps.env, "another runner sharing the job store checks drift");
    },
    onError: (error) => deps.logger.warn({ err: error }, "drift detection round failed; trying again next round"),
  });
  return { first: rounds.first, report: () => latest, stop: rounds.stop };
}
