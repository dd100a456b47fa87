import { readerContext } from "../engine/reader-context.js";
import type { RunnerMetrics } from "../metrics/create-runner-metrics.js";
import type { GitMirror, JobStore, Logger, RunnerOptions, SyncEngine } from "../types.js";
import { branchTargets } from "./branch-targets.js";
import { type Reconciler, startReconcile } from "./start-reconcile.js";

/** What the runner already built that drift detection shares. */
export interface ReconcilerParts {
  git: GitMirror;
  store: JobStore;
  engine: SyncEngine;
  logger: Logger;
  now: () => number;
  /** The runner id, holder of the drift detection lease. */
  holder: string;
  metrics: Pick<RunnerMetrics, "driftChecked">;
}

/**
 * Drift detection when `IAC_RECONCILE_INTERVAL` is set, else undefined: `DEPLOY_ENV` along the branch, the other
 * environments at their last successful jobs. It reads git, Vault and Dokploy with clients of its own built from the
 * settings, so a runner given an engine of its own still detects drift.
 */
export function reconcilerFromSettings(options: RunnerOptions, parts: ReconcilerParts): Reconciler | undefined {
  const { settings } = options;
  const intervalMs = settings.reconcileIntervalMs;
  if (intervalMs === undefined) {
    return undefined;
  }
  const { git, store, engine, now } = parts;
  const logger = parts.logger.child({ component: "reconcile" });
  const source = readerContext(options, git, logger);
  const env = settings.deployEnv;
  return startReconcile({
    deps: {
      git,
      source,
      dokploy: source.dokploy,
      logger,
      engine,
      now,
      intervalMs,
      env,
      targets: branchTargets(store, env),
      store,
    },
    store,
    holder: parts.holder,
    onReport: parts.metrics.driftChecked,
  });
}
