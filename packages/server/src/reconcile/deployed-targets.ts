import type { CatalogService, EnvironmentConfig } from "@iac/sync";
import type { DriftTarget, JobStore } from "../types.js";
import type { DriftTargets } from "./branch-targets.js";

/**
 * The targets of an environment deployed by request (tags, rollbacks) rather than along the branch: each of
 * `services` at the commit of its last successful job there, with the definitions and environment stored with that
 * job, one target per commit. Services never deployed there (or whose jobs were all pruned) are left out.
 *
 * Always correctable: a service with a job in flight is `pending` and never corrected, and the last success is what
 * the environment was last told to run, whichever trigger (deploy, rollback, correction) brought it there.
 */
export function deployedTargets(
  store: Pick<JobStore, "lastSuccessfulSync">,
  env: string,
  services: readonly string[],
): DriftTargets {
  return async () => {
    const byCommit = new Map<
      string,
      { environment: EnvironmentConfig; services: CatalogService[]; jobs: Map<string, string> }
    >();
    for (const name of services) {
      const last = await store.lastSuccessfulSync(env, name);
      if (last === undefined) {
        continue;
      }
      // Jobs at one commit read one iac.config.yaml: the first one's environment stands for all of them.
      const group = byCommit.get(last.commit) ?? {
        environment: last.environment,
        services: [],
        jobs: new Map<string, string>(),
      };
      group.services.push(last.service);
      group.jobs.set(name, last.jobId);
      byCommit.set(last.commit, group);
    }
    return [...byCommit].map(([commit, stored]): DriftTarget => ({ env, commit, stored, correctable: true }));
  };
}
