import { PlanError } from "@iac/sync";
import { isSyncError } from "../engine/sync-error.js";
import type { DriftRoundReport, SyncEngine } from "../types.js";
import type { DriftTargets } from "./branch-targets.js";
import { checkTarget, type DriftCheckDeps } from "./check-target.js";
import { correctDrift } from "./correct-drift.js";
import { pendingServices } from "./pending-services.js";

/** What one drift detection round reads and may submit to. */
export interface DriftRoundDeps extends DriftCheckDeps {
  engine: Pick<SyncEngine, "list" | "submit">;
  now: () => number;
  /** `IAC_RECONCILE_INTERVAL`. */
  intervalMs: number;
  env: string;
  targets: DriftTargets;
}

/**
 * One round for one environment: compares every target with Dokploy and, where the environment says
 * `reconcile: correct`, submits a correction. Never rejects: a round that cannot finish is `failed` with the reason
 * and keeps what it had compared.
 */
export async function runDriftRound(deps: DriftRoundDeps): Promise<DriftRoundReport> {
  const report: DriftRoundReport = {
    checkedAt: new Date(deps.now()).toISOString(),
    env: deps.env,
    commit: null,
    outcome: "ok",
    detail: null,
    services: [],
    corrections: [],
  };
  try {
    const targets = await deps.targets();
    if (targets.length === 0) {
      return { ...report, outcome: "idle", detail: `nothing was synced to ${deps.env} yet` };
    }
    report.commit = targets[0]?.commit ?? null;
    const pending = await pendingServices(deps.engine, deps.env);
    for (const target of targets) {
      const checked = await checkTarget(deps, target, pending);
      report.services.push(...checked.drifts);
      const correction = await correctDrift(deps, checked);
      if (correction !== null) {
        report.corrections.push(correction);
      }
    }
    return report;
  } catch (error) {
    // Plan and sync errors say what failed without upstream text; anything else (the store) is in the log only.
    const known = error instanceof PlanError || isSyncError(error);
    if (!known) {
      deps.logger.warn({ err: error }, "drift detection round failed; trying again next round");
    }
    const detail = known ? error.message : "the round failed; see the runner's log";
    return { ...report, outcome: "failed", detail };
  }
}
