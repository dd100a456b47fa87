import { createGlobIndex } from "./create-glob-index.js";
import { createPathLocator } from "./create-path-locator.js";
import { deepFreeze } from "./deep-freeze.js";
import { formatKeyPath } from "./format-key-path.js";
import { IacConfigError } from "./iac-config-error.js";
import type { CatalogIssue, CatalogService, IacConfig, ServiceCatalog } from "./types.js";

/** Compose file names tried in order when a service does not name its own (Docker Compose's own precedence). */
const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"] as const;

interface Folder {
  layer: string;
  mode: "auto" | "manual";
  name: string;
  files: string[];
}

/** Resolves a service's extra glob against its folder; the result is relative to the repository root. */
function resolveServiceGlob(folder: string, glob: string, keyPath: string): string {
  if (glob.startsWith("/")) {
    return glob.slice(1);
  }
  const base = folder.split("/").map((segment) => segment.replace(/[*?{}\\,]/g, "\\$&"));
  const segments = glob.split("/");
  let up = 0;
  while (segments[up] === "..") {
    up++;
  }
  if (up > base.length) {
    throw new IacConfigError(keyPath, `expected a glob inside the repository from ${folder}, received "${glob}"`);
  }
  return [...base.slice(0, base.length - up), ...segments.slice(up)].join("/");
}

/**
 * Lists the services of one commit from its complete list of repository paths. A service is a folder directly under
 * an `auto` or `manual` layer that holds a compose file; its name is the folder name without the `<NN>.` prefix.
 * Files directly inside a layer folder belong to no service, and folders of `ignore` layers are skipped. Folders
 * without a compose file and config entries that match nothing are reported in `issues`.
 *
 * @throws {Error} when two service folders share a name (service names are unique across layers).
 * @throws {IacConfigError} when an extra glob of a service points outside the repository.
 * @example
 * const catalog = discoverServices(await listFiles(commit), parseConfig(configText));
 * catalog.services.map((service) => service.name); // ["postgres", "redis", ...]
 */
export function discoverServices(repoPaths: readonly string[], config: IacConfig): ServiceCatalog {
  const locate = createPathLocator(config.layers);
  const folders = new Map<string, Folder>();
  for (const path of repoPaths) {
    const location = locate(path);
    if (location.kind !== "service-folder" || location.mode === "ignore") {
      continue;
    }
    const folder = folders.get(location.folder);
    if (folder === undefined) {
      folders.set(location.folder, { layer: location.layer, mode: location.mode, name: location.name, files: [path] });
    } else {
      folder.files.push(path);
    }
  }

  const existing = new Set(repoPaths);
  const issues: CatalogIssue[] = [];
  const services = new Map<string, CatalogService & { files: string[] }>();
  for (const [folderPath, folder] of [...folders].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const settings = Object.hasOwn(config.services, folder.name) ? config.services[folder.name] : undefined;
    const candidates = settings?.compose ? [settings.compose] : COMPOSE_FILES;
    const compose = candidates.map((file) => `${folderPath}/${file}`).find((path) => existing.has(path));
    if (compose === undefined) {
      issues.push({
        code: "missing_compose",
        path: folderPath,
        message: `${folderPath} is not a service: expected a compose file (${candidates.join(", ")}), found none`,
      });
      continue;
    }
    const twin = services.get(folder.name);
    if (twin !== undefined) {
      throw new Error(
        `[@iac/sync] duplicate service "${folder.name}": expected one folder per service name, received ${twin.folder} and ${folderPath}`,
      );
    }
    services.set(folder.name, {
      name: folder.name,
      folder: folderPath,
      layer: folder.layer,
      mode: folder.mode,
      compose,
      files: folder.files,
      include: (settings?.files ?? []).map((glob, index) =>
        resolveServiceGlob(folderPath, glob, formatKeyPath(["services", folder.name, "files", index])),
      ),
      dokploy: {
        project: settings?.dokploy.project ?? folder.layer,
        environment: settings?.dokploy.environment ?? null,
        compose: settings?.dokploy.compose ?? folder.name,
      },
      vault: settings?.vault ?? [],
      env: settings?.env ?? {},
    });
  }

  const extraFiles = createGlobIndex(
    [...services.values()].flatMap((service) => service.include.map((glob) => ({ glob, value: service }))),
  );
  for (const path of repoPaths) {
    for (const service of extraFiles.match(path)) {
      service.files.push(path);
    }
  }
  for (const service of services.values()) {
    service.files = [...new Set(service.files)].sort();
  }

  const folderNames = new Set([...folders.values()].map((folder) => folder.name));
  for (const name of Object.keys(config.services)) {
    if (!folderNames.has(name)) {
      const path = formatKeyPath(["services", name]);
      issues.push({
        code: "unused_override",
        path,
        message: `${path} matches no folder of an auto or manual layer at this commit`,
      });
    }
  }
  config.shared.forEach((rule, ruleIndex) => {
    if (rule.services === "*") {
      return;
    }
    rule.services.forEach((name, index) => {
      if (!services.has(name)) {
        const path = formatKeyPath(["shared", ruleIndex, "services", index]);
        issues.push({
          code: "unknown_shared_target",
          path,
          message: `${path} names "${name}", which is not a service`,
        });
      }
    });
  });

  const sorted = [...services.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return deepFreeze({ config, services: sorted, issues });
}
