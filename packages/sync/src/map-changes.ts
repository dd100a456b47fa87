import { CONFIG_FILE } from "./config-file.js";
import { createGlobIndex, type GlobIndex } from "./create-glob-index.js";
import { createPathLocator, type PathLocation } from "./create-path-locator.js";
import type { CatalogService, ChangeMapping, IgnoredPath, ServiceCatalog } from "./types.js";

type Hit = { kind: "service"; service: CatalogService } | { kind: "shared"; targets: readonly CatalogService[] };

interface Matcher {
  locate: (path: string) => PathLocation;
  byName: Map<string, CatalogService>;
  notServices: Set<string>;
  globs: GlobIndex<Hit>;
  layerList: string;
}

// Catalogs are frozen, so the compiled form of each one can be reused for every later call.
const matchers = new WeakMap<ServiceCatalog, Matcher>();

function compile(catalog: ServiceCatalog): Matcher {
  const byName = new Map(catalog.services.map((service) => [service.name, service]));
  const automatic = catalog.services.filter((service) => service.mode === "auto");
  const hits: { glob: string; value: Hit }[] = [];
  for (const service of catalog.services) {
    for (const glob of service.include) {
      hits.push({ glob, value: { kind: "service", service } });
    }
  }
  for (const rule of catalog.config.shared) {
    const targets =
      rule.services === "*"
        ? automatic
        : automatic.filter((service) => (rule.services as readonly string[]).includes(service.name));
    for (const glob of rule.paths) {
      hits.push({ glob, value: { kind: "shared", targets } });
    }
  }
  hits.push({ glob: CONFIG_FILE, value: { kind: "shared", targets: automatic } });
  const layers = Object.keys(catalog.config.layers);
  return {
    locate: createPathLocator(catalog.config.layers),
    byName,
    notServices: new Set(catalog.issues.filter((issue) => issue.code === "missing_compose").map((issue) => issue.path)),
    globs: createGlobIndex(hits),
    layerList: layers.length === 0 ? "no layers are configured" : `layers are ${layers.join(", ")}`,
  };
}

/** Why a path that selected nothing was left out, judged from where it sits in the tree. */
function explainLocation(matcher: Matcher, path: string, location: PathLocation): IgnoredPath {
  if (location.kind === "outside") {
    return { path, reason: "outside_layers", detail: `not inside any layer (${matcher.layerList})` };
  }
  if (location.mode === "ignore") {
    return { path, reason: "ignored_layer", detail: `layer ${location.layer} is set to ignore` };
  }
  if (location.mode === "manual") {
    return { path, reason: "manual_layer", detail: `layer ${location.layer} is deployed by hand` };
  }
  if (location.kind === "layer-file") {
    return { path, reason: "not_a_service", detail: `files directly in ${location.layer}/ belong to no service` };
  }
  if (matcher.notServices.has(location.folder)) {
    return {
      path,
      reason: "missing_compose",
      detail: `${location.folder} has no compose file, so it is not a service`,
    };
  }
  return {
    path,
    reason: "unknown_service",
    detail: `no service ${location.name} in ${location.layer} at this commit (folder removed?)`,
  };
}

/**
 * Maps changed repository paths (a rename given as both its old and its new path) to the `auto` services they touch,
 * and explains every path that touches none. A path selects the service of its folder, looked up by name so a
 * renumbered or removed folder (`platform/03.minio/x` after a move to `04.minio`) still reaches the service; any
 * service whose extra globs match it; the targets of every shared rule that matches it; and, for `iac.config.yaml`
 * itself, every automatic service (the config hash decides which really changed). Manual services are never
 * selected: their paths are ignored with reason `manual_layer`. Runs in time linear in the number of paths.
 *
 * @example
 * mapChanges(catalog, ["platform/01.postgres/compose.yaml", "platform/README.md"]);
 * // { services: [{ name: "postgres", reasons: ["platform/01.postgres/compose.yaml"] }],
 * //   ignored: [{ path: "platform/README.md", reason: "not_a_service", detail: "…" }] }
 */
export function mapChanges(catalog: ServiceCatalog, changedPaths: readonly string[]): ChangeMapping {
  let matcher = matchers.get(catalog);
  if (matcher === undefined) {
    matcher = compile(catalog);
    matchers.set(catalog, matcher);
  }
  const reasons = new Map<string, string[]>();
  const ignored: IgnoredPath[] = [];
  for (const path of [...new Set(changedPaths)].sort()) {
    const location = matcher.locate(path);
    const candidates: CatalogService[] = [];
    if (location.kind === "service-folder" && location.mode !== "ignore") {
      const service = matcher.byName.get(location.name);
      if (service?.layer === location.layer) {
        candidates.push(service);
      }
    }
    let shared = false;
    for (const hit of matcher.globs.match(path)) {
      if (hit.kind === "service") {
        candidates.push(hit.service);
      } else {
        shared = true;
        candidates.push(...hit.targets);
      }
    }
    const selected = new Set(candidates.filter((service) => service.mode === "auto"));
    for (const service of selected) {
      const list = reasons.get(service.name);
      if (list === undefined) {
        reasons.set(service.name, [path]);
      } else {
        list.push(path);
      }
    }
    if (selected.size > 0) {
      continue;
    }
    const manual = candidates.find((service) => service.mode === "manual");
    if (manual !== undefined) {
      ignored.push({
        path,
        reason: "manual_layer",
        detail: `${manual.name} is in layer ${manual.layer}, deployed by hand`,
      });
    } else if (shared) {
      ignored.push({
        path,
        reason: "shared_without_targets",
        detail: "matches a shared path whose services are not automatic services here",
      });
    } else {
      ignored.push(explainLocation(matcher, path, location));
    }
  }
  const services = [...reasons].map(([name, paths]) => ({ name, reasons: paths }));
  services.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { services, ignored };
}
