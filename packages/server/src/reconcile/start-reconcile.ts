import { startLeasedRounds } from "../loop/start-leased-rounds.js";
import type { DriftReport, DriftRoundReport, JobStore } from "../types.js";
import { createDriftLog } from "./drift-log.js";
import { type DriftRoundDeps, runDriftRound } from "./run-drift-round.js";
import { uncheckedReport } from "./unchecked-report.js";

/** Options of {@link startReconcile}. */
export interface ReconcileOptions {
  deps: DriftRoundDeps;
  store: Pick<JobStore, "acquireLease" | "saveDriftReport" | "driftReport">;
  /** Who holds the drift detection lease (the runner id). */
  holder: string;
  /** Told of every finished round (the metrics). */
  onReport?: ((report: DriftRoundReport) => void) | undefined;
}

/** The running drift detection. */
export interface Reconciler {
  /** The first round, run at start. */
  readonly first: Promise<void>;
  /**
   * The last round's report: the newer of this runner's last round and the last one any runner kept in the store
   * (this runner's own when the store cannot be read), else why there is none.
   */
  report(): Promise<DriftReport>;
  /** Schedules no more rounds and resolves once the round in flight (if any) has ended. */
  stop(): Promise<void>;
}

/**
 * Detects drift between Dokploy and what the runner deployed: at start, then every `deps.intervalMs`, by one runner at
 * a time among those sharing a store (a named lease per environment). Each round's report is kept in the store, so
 * every runner sharing it (and a runner restarted) shows the last round, whoever ran it.
 */
export function startReconcile(options: ReconcileOptions): Reconciler {
  const { deps, store } = options;
  const log = createDriftLog(deps.logger);
  /** This runner's last round, shown as long as no newer one is kept in the store (or when the store fails). */
  let latest: DriftRoundReport | undefined;
  let missing = "the first round has not finished yet";
  const rounds = startLeasedRounds({
    store,
    lease: `reconcile:${deps.env}`,
    holder: options.holder,
    now: deps.now,
    intervalMs: deps.intervalMs,
    async round() {
      const report = await runDriftRound(deps);
      latest = report;
      log(report);
      options.onReport?.(report);
      try {
        await store.saveDriftReport(report);
      } catch (error) {
        deps.logger.warn({ err: error }, "drift report not kept in the job store: only this runner shows it");
      }
    },
    onBusy() {
      deps.logger.debug({}, "another runner checks drift");
      missing = "another runner sharing the job store checks drift and has not finished a round yet";
    },
    onError: (error) => deps.logger.warn({ err: error }, "drift detection round failed; trying again next round"),
  });
  return {
    first: rounds.first,
    async report() {
      const own = latest;
      const kept = await store.driftReport(deps.env).catch((error: unknown) => {
        if (own === undefined) {
          throw error;
        }
        return undefined;
      });
      // ISO times of one format order as strings.
      const newest = kept === undefined || (own !== undefined && own.checkedAt > kept.checkedAt) ? own : kept;
      return newest ?? uncheckedReport(deps.env, missing);
    },
    stop: rounds.stop,
  };
}
