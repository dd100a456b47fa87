import { IacConfigError } from "./iac-config-error.js";
import type { IacConfig, ServiceCatalog } from "./types.js";
import { validateServices } from "./validate-services.js";

/**
 * Lists the services of one commit from its complete list of repository paths. A service is a folder directly under
 * an `auto` or `manual` layer that holds a compose file; its name is the folder name without the `<NN>.` prefix.
 * Files directly inside a layer folder belong to no service, and folders of `ignore` layers are skipped. Folders
 * without a compose file and config entries that match nothing are reported in `issues`. `validateServices` returns
 * every problem instead of throwing the first.
 *
 * @throws {Error} when two service folders share a name (service names are unique across layers).
 * @throws {IacConfigError} when an extra glob of a service points outside the repository.
 * @example
 * const catalog = discoverServices(await listFiles(commit), parseConfig(configText));
 * catalog.services.map((service) => service.name); // ["postgres", "redis", ...]
 */
export function discoverServices(repoPaths: readonly string[], config: IacConfig): ServiceCatalog {
  const result = validateServices(repoPaths, config);
  if (result.ok) {
    return result.catalog;
  }
  const [first] = result.problems;
  if (first?.code === "files_outside_repository") {
    throw new IacConfigError(first.path, first.message);
  }
  throw new Error(`[@iac/sync] ${first?.message ?? "invalid services"}`);
}
