import type { DriftRoundReport, EnvironmentDrift, JobStore } from "../types.js";
import type { DriftTargets } from "./branch-targets.js";
import { checkEnvironment, type EnvironmentCheckDeps } from "./check-environment.js";
import { deployedTargets } from "./deployed-targets.js";
import { type OtherEnvironments, otherEnvironments } from "./other-environments.js";
import { roundFailure } from "./round-failure.js";

/** What one drift detection round reads and may submit to. */
export interface DriftRoundDeps extends EnvironmentCheckDeps {
  now: () => number;
  /** `DEPLOY_ENV`. */
  env: string;
  /** The targets of `env` (the branch's). */
  targets: DriftTargets;
  /** Where the other environments' last successes and the branch position are read. */
  store: Pick<JobStore, "lastSuccessfulSync" | "cursor">;
}

/**
 * One round: compares `DEPLOY_ENV` at the synced commit with Dokploy, then every other environment of
 * `iac.config.yaml` there at the commits its services last succeeded at, correcting where an environment says
 * `reconcile: correct`. Never rejects: a round that cannot finish is `failed` with the reason and keeps what it had
 * compared. The other environments wait for a `DEPLOY_ENV` round that is `ok`: their list is read at its commit.
 */
export async function runDriftRound(deps: DriftRoundDeps): Promise<DriftRoundReport> {
  const checkedAt = new Date(deps.now()).toISOString();
  const main = await checkEnvironment(deps, deps.env, deps.targets, `nothing was synced to ${deps.env} yet`);
  const environments: EnvironmentDrift[] = [];
  if (main.outcome === "ok" && main.commit !== null) {
    let others: OtherEnvironments;
    try {
      others = await otherEnvironments(deps.git, main.commit, deps.env);
    } catch (error) {
      return {
        checkedAt,
        ...main,
        outcome: "failed",
        detail: roundFailure(error, deps.logger, deps.env),
        environments,
      };
    }
    for (const env of others.envs) {
      const targets = deployedTargets(deps.store, env, others.services);
      environments.push(await checkEnvironment(deps, env, targets, `no service was deployed to ${env} yet`));
    }
  }
  return { checkedAt, ...main, environments };
}
