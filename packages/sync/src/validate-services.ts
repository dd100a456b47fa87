import { createGlobIndex } from "./create-glob-index.js";
import { createPathLocator } from "./create-path-locator.js";
import { deepFreeze } from "./deep-freeze.js";
import { formatKeyPath } from "./format-key-path.js";
import type { CatalogIssue, CatalogService, IacConfig, ServiceProblem, ServiceValidation } from "./types.js";

/** Compose file names tried in order when a service does not name its own (Docker Compose's own precedence). */
const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"] as const;

interface Folder {
  layer: string;
  mode: "auto" | "manual";
  name: string;
  files: string[];
}

/**
 * Resolves a service's extra glob against its folder; the result is relative to the repository root, or undefined
 * when the glob climbs out of the repository.
 */
function resolveServiceGlob(folder: string, glob: string): string | undefined {
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
    return undefined;
  }
  return [...base.slice(0, base.length - up), ...segments.slice(up)].join("/");
}

/**
 * Lists the services of one commit from its complete list of repository paths, like `discoverServices`, but returns
 * every problem that prevents a catalog instead of throwing the first: two service folders with the same name
 * (`duplicate_service`, at the second folder) and extra `files` globs that climb out of the repository
 * (`files_outside_repository`, at their key path). Non-fatal findings stay in `catalog.issues`.
 *
 * @example
 * const result = validateServices(await listFiles(commit), config);
 * if (!result.ok) result.problems.forEach((problem) => console.log(`${problem.path}: ${problem.message}`));
 */
export function validateServices(repoPaths: readonly string[], config: IacConfig): ServiceValidation {
  const problems: ServiceProblem[] = [];
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
      problems.push({
        code: "duplicate_service",
        path: folderPath,
        message: `duplicate service "${folder.name}": expected one folder per service name, received ${twin.folder} and ${folderPath}`,
      });
      continue;
    }
    const include: string[] = [];
    (settings?.files ?? []).forEach((glob, index) => {
      const resolved = resolveServiceGlob(folderPath, glob);
      if (resolved === undefined) {
        problems.push({
          code: "files_outside_repository",
          path: formatKeyPath(["services", folder.name, "files", index]),
          message: `expected a glob inside the repository from ${folderPath}, received "${glob}"`,
        });
      } else {
        include.push(resolved);
      }
    });
    services.set(folder.name, {
      name: folder.name,
      folder: folderPath,
      layer: folder.layer,
      mode: folder.mode,
      compose,
      files: folder.files,
      include,
      dokploy: {
        project: settings?.dokploy.project ?? folder.layer,
        environment: settings?.dokploy.environment ?? null,
        compose: settings?.dokploy.compose ?? folder.name,
      },
      vault: settings?.vault ?? [],
      env: settings?.env ?? {},
      // Only present when configured, so catalogs (and the job definitions stored from them) stay as they were.
      ...(settings?.probe ? { probe: settings.probe } : {}),
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

  if (problems.length > 0) {
    return { ok: false, catalog: null, problems };
  }
  const sorted = [...services.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  return { ok: true, catalog: deepFreeze({ config, services: sorted, issues }), problems: [] };
}
