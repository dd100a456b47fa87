import type { DokployClient } from "@iac/sdk";
import { planSync, type SyncPlanItem } from "@iac/sync";
import type { Logger } from "../types.js";
import { composeNames } from "./compose-names.js";
import { type DeployedState, readDeployedState } from "./read-deployed-state.js";
import type { InputTarget } from "./read-plain-inputs.js";
import { readServiceInputs, type ServiceInputSource, type ServiceInputs } from "./read-service-inputs.js";

/** One service compared with Dokploy: the content at the commit, what Dokploy holds, and what a sync would do. */
export interface ServiceCheck {
  inputs: ServiceInputs;
  state: DeployedState;
  /** `planSync`'s verdict, the one a sync of `target` would follow (`skip` when the stored hash matches). */
  decision: SyncPlanItem;
}

/**
 * Compares one service at `target.commit` with Dokploy without changing anything: its config hash computed by the
 * engine's own code and the hash Dokploy stores, judged by `planSync` exactly as a sync would. The one comparison
 * behind `iac-runner plan` and drift detection, so both agree with what a sync then does.
 *
 * @throws {SyncError} from reading the inputs (git, Vault) or Dokploy.
 */
export async function checkService(
  source: ServiceInputSource,
  dokploy: DokployClient,
  target: InputTarget,
  logger: Logger,
): Promise<ServiceCheck> {
  const inputs = await readServiceInputs(source, target, logger);
  const state = await readDeployedState(dokploy, composeNames(target));
  const [decision] = planSync(
    [{ service: target.service.name, hash: inputs.hash, legacyHash: inputs.legacyHash }],
    [{ service: target.service.name, hash: state.exists ? state.storedHash : null, exists: state.exists }],
  );
  // planSync answers once per desired service, and exactly one was given.
  return { inputs, state, decision: decision as SyncPlanItem };
}
