import { CONFIG_FILE, discoverServices, type IacConfig, parseConfig, type ServiceCatalog } from "@iac/sync";
import type { GitMirror } from "./types.js";

/** How many commits' catalogs are kept per mirror; older ones are evicted first. */
const MAX_CACHED_COMMITS = 32;

/** The parsed `iac.config.yaml` of one commit and the services discovered in its tree. */
export interface LoadedCatalog {
  config: IacConfig;
  catalog: ServiceCatalog;
}

const caches = new WeakMap<GitMirror, Map<string, Promise<LoadedCatalog>>>();

async function readCatalog(git: GitMirror, commit: string): Promise<LoadedCatalog> {
  const [bytes, files] = await Promise.all([git.readFile(commit, CONFIG_FILE), git.listFiles(commit)]);
  const config = parseConfig(bytes === null ? undefined : new TextDecoder().decode(bytes));
  return { config, catalog: discoverServices(files, config) };
}

/**
 * Reads `iac.config.yaml` at `commit` (defaults when the file is absent) and discovers the services of that commit.
 * Results are cached per mirror and commit (commits are immutable); concurrent calls share one read, and a failed
 * read is not cached.
 *
 * @throws {IacConfigError} when the file is invalid; git errors propagate unchanged.
 */
export function loadCatalog(git: GitMirror, commit: string): Promise<LoadedCatalog> {
  const cache = caches.get(git) ?? new Map<string, Promise<LoadedCatalog>>();
  caches.set(git, cache);
  const key = commit.toLowerCase();
  const cached = cache.get(key);
  if (cached !== undefined) {
    // Re-insert so the map's insertion order doubles as least-recently-used order.
    cache.delete(key);
    cache.set(key, cached);
    return cached;
  }
  const loading = readCatalog(git, key);
  cache.set(key, loading);
  loading.catch(() => {
    if (cache.get(key) === loading) {
      cache.delete(key);
    }
  });
  for (const oldest of cache.keys()) {
    if (cache.size <= MAX_CACHED_COMMITS) {
      break;
    }
    cache.delete(oldest);
  }
  return loading;
}
