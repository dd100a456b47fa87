import type { FakeClock, FakeDokploy, FakeVault } from "@iac/sdk/testing";
import { loadCatalog } from "../../src/catalog.js";
import { createSyncContext } from "../../src/engine/sync-context.js";
import { syncService } from "../../src/engine/sync-service.js";
import { createGitMirror } from "../../src/git/git-mirror.js";
import { noopLogger } from "../../src/logging/noop-logger.js";
import type { SyncResult } from "../../src/types.js";
import { cleanupTemp, makeTemp } from "./git-repo.js";

/** What {@link syncWithRunner} syncs, and with which runner configuration. */
export interface RunnerSync {
  repoUrl: string;
  commit: string;
  services: readonly string[];
  env?: string | undefined;
  dokploy: FakeDokploy;
  vault?: FakeVault | undefined;
  hashKey: string;
  internalDomain?: string | undefined;
  /** Advanced by a minute before each service, so deployment rows sort by time like in real Dokploy. */
  clock?: FakeClock | undefined;
}

/**
 * Syncs services at a commit with the engine's own `syncService`, over real HTTP to the fakes served on loopback,
 * exactly as a runner configured with these Dokploy, Vault and hash key settings would: the way CLI tests seed the
 * fake Dokploy with the hashes and deployments a runner leaves behind.
 */
export async function syncWithRunner(options: RunnerSync): Promise<SyncResult[]> {
  const dataDir = makeTemp("iac-seed-");
  try {
    const git = createGitMirror({ url: options.repoUrl, dataDir, branch: "main" });
    await git.fetch();
    const { config, catalog } = await loadCatalog(git, options.commit);
    const env = options.env ?? "staging";
    const environment = config.environments[env];
    if (environment === undefined) {
      throw new Error(`no environment ${env} at ${options.commit}`);
    }
    const context = createSyncContext({
      git,
      dokploy: { baseUrl: options.dokploy.baseUrl, apiKey: options.dokploy.apiKey, retry: false },
      vault:
        options.vault === undefined
          ? undefined
          : { address: options.vault.address, token: options.vault.token, retry: false },
      hashKey: options.hashKey,
      internalDomain: options.internalDomain,
      logger: noopLogger,
      pollIntervalMs: 20,
      deployTimeoutMs: 30_000,
    });
    const results: SyncResult[] = [];
    for (const name of options.services) {
      const service = catalog.services.find((candidate) => candidate.name === name);
      if (service === undefined) {
        throw new Error(`no service ${name} at ${options.commit}`);
      }
      options.clock?.advance(60_000);
      results.push(
        await syncService(context, { commit: options.commit, env, environment, service, logger: noopLogger }),
      );
    }
    return results;
  } finally {
    cleanupTemp(dataDir);
  }
}
