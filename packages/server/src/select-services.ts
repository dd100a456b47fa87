import type { CatalogService, IacConfig, ServiceCatalog } from "@iac/sync";
import { HttpError } from "./http/http-error.js";

/** The layer that holds the runner itself: never synced, whatever the configuration or the request says. */
export const BOOTSTRAP_LAYER = "bootstrap";

/** Whether the runner may sync `service`: an `auto` service outside the bootstrap layer. */
export function isSyncable(service: CatalogService): boolean {
  return service.mode === "auto" && service.layer !== BOOTSTRAP_LAYER;
}

/** Names of every service the runner may sync in `catalog`. */
export function syncableServiceNames(catalog: ServiceCatalog): string[] {
  return catalog.services.filter(isSyncable).map((service) => service.name);
}

function findService(catalog: ServiceCatalog, requested: string): CatalogService | undefined {
  const slash = requested.indexOf("/");
  if (slash === -1) {
    return catalog.services.find((service) => service.name === requested);
  }
  const layer = requested.slice(0, slash);
  const rest = requested.slice(slash + 1);
  return catalog.services.find(
    (service) => service.layer === layer && (service.name === rest || service.folder === requested),
  );
}

/**
 * Resolves requested services (`postgres`, `platform/postgres` or `platform/01.postgres`) to catalog names, in
 * request order without duplicates.
 *
 * @throws {HttpError} 400 `unknown_service` listing the known services, or 403 `service_manual` for a service of a
 * manual layer (such as the runner's own bootstrap layer).
 */
export function selectServices(catalog: ServiceCatalog, requested: readonly string[]): string[] {
  const selected: string[] = [];
  for (const name of requested) {
    const service = findService(catalog, name);
    if (service === undefined) {
      const known = syncableServiceNames(catalog);
      throw new HttpError(
        400,
        "unknown_service",
        `unknown service ${JSON.stringify(name)}: expected one of ${known.join(", ") || "(none)"}`,
        {
          details: { known },
        },
      );
    }
    if (!isSyncable(service)) {
      throw new HttpError(
        403,
        "service_manual",
        `service ${JSON.stringify(service.name)} is in the ${service.layer} layer, which is deployed by hand and never synced by the runner`,
        { details: { service: service.name, layer: service.layer } },
      );
    }
    if (!selected.includes(service.name)) {
      selected.push(service.name);
    }
  }
  return selected;
}

/**
 * Checks that `env` is an environment of the repository's configuration.
 *
 * @throws {HttpError} 400 `unknown_env` listing the configured environments.
 */
export function requireEnvironment(config: IacConfig, env: string): void {
  if (!Object.hasOwn(config.environments, env)) {
    const known = Object.keys(config.environments);
    throw new HttpError(
      400,
      "unknown_env",
      `unknown environment ${JSON.stringify(env)}: expected one of ${known.join(", ")}`,
      {
        details: { known },
      },
    );
  }
}
