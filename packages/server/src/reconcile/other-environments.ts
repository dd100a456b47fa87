import { isSyncable } from "@iac/sync";
import { loadPlanCatalog } from "../plan/load-plan-catalog.js";
import type { GitMirror } from "../types.js";

/** The environments checked beside the branch's, and the services looked up in each. */
export interface OtherEnvironments {
  envs: string[];
  /** Names of the automatic services. */
  services: string[];
}

/**
 * The environments of `iac.config.yaml` at `commit` other than `env`, and the automatic services of the catalog
 * there. The branch's synced commit is the runner's current word on which environments and services it manages: an
 * environment or service removed since is no longer watched, even though the store still holds its jobs.
 *
 * @throws {PlanError} when the catalog cannot be read at `commit`.
 */
export async function otherEnvironments(git: GitMirror, commit: string, env: string): Promise<OtherEnvironments> {
  const { config, catalog } = await loadPlanCatalog(git, commit);
  return {
    envs: Object.keys(config.environments).filter((name) => name !== env),
    services: catalog.services.filter(isSyncable).map((service) => service.name),
  };
}
