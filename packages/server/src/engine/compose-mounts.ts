import { posix } from "node:path";
import { isMap, isScalar, isSeq, parseDocument, type Scalar } from "yaml";
import { SyncError } from "./sync-error.js";

/** The compose as Dokploy must store it, and the file mounts it needs. */
export interface ComposeMountPlan {
  /** The compose text with every relative reference to a file of the service rewritten to `../files/<path>`. */
  compose: string;
  /**
   * Repository paths of the files to mount, sorted; a referenced folder contributes every file under it. Each one
   * becomes a Dokploy file mount with that path as `filePath`.
   */
  mounts: string[];
  /** Relative references that match no file of the service (left as they are). */
  unresolved: string[];
}

/** Where Dokploy writes file mounts, seen from the folder it writes a raw compose file to. */
const FILES_PREFIX = "../files/";

/**
 * Rewrites the relative paths of a compose file (`./init.sql:/docker-entrypoint-initdb.d/init.sql` volumes, long
 * bind syntax, `env_file`, top-level `configs`/`secrets` files) to Dokploy file mounts, so that a deploy uses exactly
 * the files of the commit and never a checkout on the Dokploy host.
 *
 * @param composePath repository path of the compose file; relative references resolve against its folder.
 * @param files repository paths of every file of the service.
 */
export function planComposeMounts(compose: string, composePath: string, files: readonly string[]): ComposeMountPlan {
  const doc = parseDocument(compose);
  if (doc.errors.length > 0) {
    throw new SyncError(
      "config_invalid",
      `[@iac/server] invalid compose file ${composePath}: expected YAML, received a parse error (${doc.errors[0]?.message ?? "unknown"})`,
    );
  }
  const baseDir = posix.dirname(composePath);
  const known = new Set(files);
  const mounts = new Set<string>();
  const unresolved: string[] = [];
  let changed = false;

  /** Resolves one reference; returns the rewritten reference, or null to keep the original. */
  const rewrite = (reference: string): string | null => {
    const resolved = posix.normalize(posix.join(baseDir, reference)).replace(/\/+$/, "");
    if (resolved === ".." || resolved.startsWith("../") || resolved === ".") {
      unresolved.push(reference);
      return null;
    }
    const matches = known.has(resolved) ? [resolved] : files.filter((path) => path.startsWith(`${resolved}/`));
    if (matches.length === 0) {
      unresolved.push(reference);
      return null;
    }
    for (const path of matches) {
      mounts.add(path);
    }
    changed = true;
    return `${FILES_PREFIX}${resolved}`;
  };

  /** Rewrites a scalar in place when `select` finds a relative reference in it. */
  const rewriteScalar = (node: unknown, select: (value: string) => { ref: string; rest: string } | null): void => {
    if (!isScalar(node) || typeof node.value !== "string") {
      return;
    }
    const found = select(node.value);
    const target = found && rewrite(found.ref);
    if (found && target !== null) {
      (node as Scalar<string>).value = `${target}${found.rest}`;
    }
  };

  const services = doc.get("services", true);
  if (isMap(services)) {
    for (const pair of services.items) {
      const service = pair.value;
      if (!isMap(service)) {
        continue;
      }
      refuseLocalBuild(service.get("build"), String(isScalar(pair.key) ? pair.key.value : pair.key), composePath);
      const volumes = service.get("volumes", true);
      if (isSeq(volumes)) {
        for (const volume of volumes.items) {
          rewriteScalar(volume, shortVolumeSource);
          if (isMap(volume) && volume.get("type") === "bind") {
            rewriteScalar(volume.get("source", true), wholeRelative);
          }
        }
      }
      const envFile = service.get("env_file", true);
      for (const entry of isSeq(envFile) ? envFile.items : [envFile]) {
        rewriteScalar(isMap(entry) ? entry.get("path", true) : entry, wholeFile);
      }
    }
  }
  for (const section of ["configs", "secrets"]) {
    const definitions = doc.get(section, true);
    if (isMap(definitions)) {
      for (const pair of definitions.items) {
        if (isMap(pair.value)) {
          rewriteScalar(pair.value.get("file", true), wholeFile);
        }
      }
    }
  }

  return {
    compose: changed ? doc.toString({ lineWidth: 0 }) : compose,
    mounts: [...mounts].sort(),
    unresolved,
  };
}

/**
 * A raw compose has no checkout on the Dokploy host, so a local build context would fail late, inside Dokploy, with
 * an unclear error. Remote contexts (`https://…`, `git@…`) are fine.
 */
function refuseLocalBuild(build: unknown, service: string, composePath: string): void {
  const context = isMap(build) ? build.get("context") : build;
  const value = typeof context === "string" ? context : isMap(build) ? "." : undefined;
  if (value !== undefined && !/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(value)) {
    throw new SyncError(
      "config_invalid",
      `[@iac/server] invalid compose file ${composePath}: services.${service}.build uses the local context ${JSON.stringify(value)}, which a deploy of pinned files cannot provide; build and push an image, then reference it with image:`,
    );
  }
}

function isRelative(value: string): boolean {
  return value === "." || value === ".." || value.startsWith("./") || value.startsWith("../");
}

/** `./src:/target[:mode]`: only sources starting with `.` are paths; anything else is a named volume. */
function shortVolumeSource(value: string): { ref: string; rest: string } | null {
  const colon = value.indexOf(":");
  const source = colon === -1 ? value : value.slice(0, colon);
  return isRelative(source) ? { ref: source, rest: colon === -1 ? "" : value.slice(colon) } : null;
}

function wholeRelative(value: string): { ref: string; rest: string } | null {
  return isRelative(value) ? { ref: value, rest: "" } : null;
}

/** `env_file` and `configs.*.file` resolve every non-absolute path against the compose folder. */
function wholeFile(value: string): { ref: string; rest: string } | null {
  return value.startsWith("/") || value.startsWith("~") || value.includes("$") ? null : { ref: value, rest: "" };
}
