import { assertPlanInput } from "./assert-plan-input.js";
import { findService } from "./find-service.js";
import { BOOTSTRAP_LAYER, isSyncable } from "./is-syncable.js";
import { mapChanges } from "./map-changes.js";
import { PlanError } from "./plan-error.js";
import type {
  CatalogService,
  CommitClaim,
  EnvironmentConfig,
  JobPlan,
  PlanInput,
  PlannedService,
  PlanSkip,
  ServiceCatalog,
} from "./types.js";

// A reason message lists this many paths at most; `reason.paths` has them all.
const LISTED_PATHS = 3;

function requireEnvironment(catalog: ServiceCatalog, env: string): EnvironmentConfig {
  const { environments } = catalog.config;
  // An own-property check: `constructor` or `toString` must not resolve to Object.prototype's members.
  if (!Object.hasOwn(environments, env)) {
    const known = Object.keys(environments);
    const message = `unknown environment ${JSON.stringify(env)}: expected one of ${known.join(", ")}`;
    throw new PlanError("unknown_env", message, { known });
  }
  return environments[env] as EnvironmentConfig;
}

/**
 * A request that says which commit its target is at must get exactly that commit: a tag moved after CI tagged it, or a
 * production tag that is not at the staging release it claims to promote, would deploy something nobody tested.
 */
function requireClaims(claims: readonly CommitClaim[], commit: string): void {
  for (const { field, value, commit: claimed } of claims) {
    if (claimed.toLowerCase() !== commit) {
      const named = field === "commit" ? `commit ${value}` : `${field} ${JSON.stringify(value)} (commit ${claimed})`;
      throw new PlanError(
        "commit_mismatch",
        `${named} is not the commit the deploy resolved to, ${commit}: refusing to deploy something other than what the request names`,
        { field, value, claimed: claimed.toLowerCase(), resolved: commit },
      );
    }
  }
}

function changedMessage(paths: readonly string[]): string {
  const listed = paths.slice(0, LISTED_PATHS).join(", ");
  const more = paths.length > LISTED_PATHS ? ` and ${paths.length - LISTED_PATHS} more` : "";
  return `${paths.length} changed ${paths.length === 1 ? "path" : "paths"}: ${listed}${more}`;
}

/**
 * A service a change selected that the runner may not sync. `mapChanges` selects `auto` services only (changes to
 * manual ones come back as path skips with `manual_layer`), so this is an `auto` service of the bootstrap layer. Its
 * paths go in the detail, since no path skip explains them.
 */
function skipBootstrap(service: CatalogService, paths: readonly string[]): PlanSkip {
  return {
    service: service.name,
    reason: "bootstrap_layer",
    detail: `${service.name} is in the ${BOOTSTRAP_LAYER} layer, which holds the runner itself and is never synced; ${changedMessage(paths)}`,
  };
}

function planChanges(catalog: ServiceCatalog, changedPaths: readonly string[]): Pick<JobPlan, "services" | "skipped"> {
  const mapping = mapChanges(catalog, changedPaths);
  const byName = new Map(catalog.services.map((service) => [service.name, service]));
  const services: PlannedService[] = [];
  const skipped: PlanSkip[] = mapping.ignored.map(({ path, reason, detail }) => ({ path, reason, detail }));
  for (const { name, reasons } of mapping.services) {
    // mapChanges only names services of this catalog.
    const service = byName.get(name) as CatalogService;
    if (isSyncable(service)) {
      services.push({ service, reason: { code: "changed", message: changedMessage(reasons), paths: reasons } });
    } else {
      skipped.push(skipBootstrap(service, reasons));
    }
  }
  return { services, skipped };
}

function planRequested(catalog: ServiceCatalog, requested: readonly string[]): PlannedService[] {
  const planned: PlannedService[] = [];
  for (const name of requested) {
    const service = findService(catalog, name);
    if (service === undefined) {
      const known = catalog.services.filter(isSyncable).map((syncable) => syncable.name);
      throw new PlanError(
        "unknown_service",
        `unknown service ${JSON.stringify(name)}: expected one of ${known.join(", ") || "(none)"}`,
        { known },
      );
    }
    if (!isSyncable(service)) {
      throw new PlanError(
        "service_manual",
        `service ${JSON.stringify(service.name)} is in the ${service.layer} layer, which is deployed by hand and never synced by the runner`,
        { service: service.name, layer: service.layer },
      );
    }
    if (!planned.some((item) => item.service === service)) {
      planned.push({ service, reason: { code: "requested", message: `requested as ${JSON.stringify(name)}` } });
    }
  }
  return planned;
}

function planAll(catalog: ServiceCatalog): PlannedService[] {
  return catalog.services
    .filter(isSyncable)
    .map((service) => ({ service, reason: { code: "all", message: "every service: the request named none" } }));
}

/**
 * Turns any request (a push, a `/deploy`, a `/sync`, the runner's catch-up of its branch) into the plan of one job:
 * the environment, the commit and each service to sync with the reason it is in. It is the only place that decides
 * which services a request reaches.
 *
 * - `webhook` and `catchup` map `changedPaths` with `mapChanges`. Each selected service the runner may sync
 *   (`isSyncable`) is planned with reason `changed`; a selected service of the bootstrap layer and every ignored path
 *   land in `skipped`. No changed paths give an empty plan.
 * - `deploy` and `sync` without `services` plan every syncable service (`all`). With `services`, each name
 *   (`postgres`, `platform/postgres` or `platform/01.postgres`) is planned with reason `requested`, in request order
 *   without duplicates. Each of their `claims` must name `commit` (compared case-insensitively).
 *
 * The plan holds the catalog's own (frozen) service objects. Planned services come in catalog order (sorted by name),
 * except requested ones, which keep the request's order; `skipped` lists ignored paths (sorted), then services.
 *
 * @throws {PlanError} `unknown_env` when `request.env` is not an environment of the catalog's config (details:
 * `known`); `commit_mismatch` for a claim naming another commit (details: `field`, `value`, `claimed`, `resolved`);
 * `unknown_service` for a requested name that is no service (details: `known`, the syncable names);
 * `service_manual` for a requested service of a manual layer or of the bootstrap layer (details: `service`, `layer`).
 * @throws {TypeError} for input no valid request gives: a missing or malformed `input`, `request` or `catalog`, an
 * unknown trigger, an empty `services` list, a `commit` that is not 40 hex digits.
 * @example
 * resolvePlan({ request: { trigger: "deploy", env: "staging", services: ["postgres"] }, commit, catalog });
 * // { trigger: "deploy", env: "staging", commit, environment: { env: "staging", … },
 * //   services: [{ service: { name: "postgres", … }, reason: { code: "requested", message: 'requested as "postgres"' } }],
 * //   skipped: [] }
 */
export function resolvePlan(input: PlanInput): JobPlan {
  assertPlanInput(input);
  const { request, catalog } = input;
  const plan = {
    trigger: request.trigger,
    env: request.env,
    commit: input.commit.toLowerCase(),
    environment: requireEnvironment(catalog, request.env),
  };
  switch (request.trigger) {
    case "webhook":
    case "catchup":
      return { ...plan, ...planChanges(catalog, request.changedPaths) };
    case "deploy":
    case "sync": {
      const { services, claims = [] } = request;
      requireClaims(claims, plan.commit);
      return {
        ...plan,
        services: services === undefined ? planAll(catalog) : planRequested(catalog, services),
        skipped: [],
      };
    }
  }
}
