import type { CatalogService, ServiceCatalog } from "./types.js";

/**
 * The service of `catalog` that `requested` names: `postgres` (the name), `platform/postgres` (layer and name) or
 * `platform/01.postgres` (the folder); the layer is everything before the last `/`. Undefined when none matches.
 *
 * @example
 * findService(catalog, "platform/01.postgres")?.name; // "postgres"
 */
export function findService(catalog: ServiceCatalog, requested: string): CatalogService | undefined {
  const slash = requested.lastIndexOf("/");
  if (slash === -1) {
    return catalog.services.find((service) => service.name === requested);
  }
  const layer = requested.slice(0, slash);
  const name = requested.slice(slash + 1);
  return catalog.services.find(
    (service) => service.layer === layer && (service.name === name || service.folder === requested),
  );
}
