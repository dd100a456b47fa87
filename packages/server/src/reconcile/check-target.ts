import type { DokployClient } from "@iac/sdk";
import { type CatalogService, type EnvironmentConfig, isSyncable, PlanError } from "@iac/sync";
import { checkService } from "../engine/check-service.js";
import type { ServiceInputSource } from "../engine/read-service-inputs.js";
import { isSyncError } from "../engine/sync-error.js";
import { fetchRepository } from "../plan/fetch-repository.js";
import { loadPlanCatalog } from "../plan/load-plan-catalog.js";
import type { DriftTarget, GitMirror, Logger, ServiceDrift } from "../types.js";
import { driftOf } from "./drift-of.js";

/** What comparing a target with Dokploy reads from. */
export interface DriftCheckDeps {
  git: GitMirror;
  /** Git, Vault and the hash key, as the engine reads them. */
  source: ServiceInputSource;
  dokploy: DokployClient;
  logger: Logger;
}

/** One target compared: its environment's settings and catalog services at the commit, and each service's drift. */
export interface CheckedTarget {
  target: DriftTarget;
  environment: EnvironmentConfig;
  /** The compared services, by name. */
  services: ReadonlyMap<string, CatalogService>;
  drifts: ServiceDrift[];
}

/** Failures that every later service would meet too: Dokploy is not asked again within the round. */
const FATAL = new Set(["dokploy_auth_failed", "dokploy_unreachable"]);

/**
 * Compares the services of `target` (those stored with it, else every automatic service of the catalog at its commit)
 * with Dokploy, hashed as a redeploy of them would be; services of `pending` are not compared. A service that cannot
 * be compared is `unknown` with the reason.
 *
 * @throws {PlanError} when the commit cannot be fetched, or the catalog cannot be read there or lacks the environment.
 */
export async function checkTarget(
  deps: DriftCheckDeps,
  target: DriftTarget,
  pending: ReadonlySet<string>,
): Promise<CheckedTarget> {
  const { env, commit } = target;
  // Another runner may have deployed a commit this process never fetched (its mirror is its own).
  if ((await deps.git.resolveCommit(commit)) === null) {
    await fetchRepository(deps.git, deps.logger);
  }
  const { environment, chosen } =
    target.stored !== undefined
      ? { environment: target.stored.environment, chosen: target.stored.services }
      : await catalogAt(deps.git, env, commit);
  const drifts: ServiceDrift[] = [];
  let fatal: string | undefined;
  for (const service of chosen) {
    const base = { service: service.name, commit, expectedHash: null, actualHash: null };
    if (pending.has(service.name)) {
      drifts.push({ ...base, state: "pending", detail: "a job of the service is queued or running" });
      continue;
    }
    if (fatal !== undefined) {
      drifts.push({ ...base, state: "unknown", detail: fatal });
      continue;
    }
    try {
      const check = await checkService(deps.source, deps.dokploy, { commit, env, environment, service }, deps.logger);
      drifts.push(driftOf(check, commit));
    } catch (error) {
      if (!isSyncError(error)) {
        throw error;
      }
      // The message never carries upstream text (see dokployCall), so it holds no secret values.
      const detail = `${error.code}: ${error.message}`;
      fatal = FATAL.has(error.code) ? detail : undefined;
      drifts.push({ ...base, state: "unknown", detail });
    }
  }
  return { target, environment, services: new Map(chosen.map((service) => [service.name, service])), drifts };
}

/** The environment's settings and automatic services in the catalog at `commit`. */
async function catalogAt(
  git: GitMirror,
  env: string,
  commit: string,
): Promise<{ environment: EnvironmentConfig; chosen: readonly CatalogService[] }> {
  const { config, catalog } = await loadPlanCatalog(git, commit);
  const environment = Object.hasOwn(config.environments, env) ? config.environments[env] : undefined;
  if (environment === undefined) {
    throw new PlanError("unknown_env", `environment ${env} is not in iac.config.yaml at ${commit}`);
  }
  return { environment, chosen: catalog.services.filter(isSyncable) };
}
