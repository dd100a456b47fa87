import type { EnvironmentDrift } from "../types.js";
import type { DriftTargets } from "./branch-targets.js";
import { checkTarget, type DriftCheckDeps } from "./check-target.js";
import { type CorrectionDeps, correctDrift } from "./correct-drift.js";
import { pendingServices } from "./pending-services.js";
import { roundFailure } from "./round-failure.js";

/** What checking one environment reads and may submit to. */
export interface EnvironmentCheckDeps extends DriftCheckDeps, CorrectionDeps {}

/**
 * Compares every target of `env` with Dokploy and, where the environment says `reconcile: correct`, submits a
 * correction per target. Never rejects: an environment that cannot be compared is `failed` with the reason and keeps
 * what it had compared; `idle` with `idle` as the detail when there is no target.
 */
export async function checkEnvironment(
  deps: EnvironmentCheckDeps,
  env: string,
  targets: DriftTargets,
  idle: string,
): Promise<EnvironmentDrift> {
  const drift: EnvironmentDrift = { env, commit: null, outcome: "ok", detail: null, services: [], corrections: [] };
  try {
    const found = await targets();
    if (found.length === 0) {
      return { ...drift, outcome: "idle", detail: idle };
    }
    drift.commit = found.length === 1 ? (found[0]?.commit ?? null) : null;
    const pending = await pendingServices(deps.engine, env);
    for (const target of found) {
      const checked = await checkTarget(deps, target, pending);
      drift.services.push(...checked.drifts);
      const correction = await correctDrift(deps, checked);
      if (correction !== null) {
        drift.corrections.push(correction);
      }
    }
    return drift;
  } catch (error) {
    return { ...drift, outcome: "failed", detail: roundFailure(error, deps.logger, env) };
  }
}
