import type { CatalogService } from "./types.js";

/**
 * The layer that holds the runner itself. It is never synced, whatever `iac.config.yaml` or a request says: a runner
 * that redeployed its own compose would stop itself halfway through the job.
 */
export const BOOTSTRAP_LAYER = "bootstrap";

/**
 * Whether the runner may sync `service`: an `auto` service outside the bootstrap layer. Manual services and the
 * runner's own layer are deployed by hand only.
 *
 * @example
 * catalog.services.filter(isSyncable).map((service) => service.name); // every service `/sync` may name
 */
export function isSyncable(service: CatalogService): boolean {
  return service.mode === "auto" && service.layer !== BOOTSTRAP_LAYER;
}
