import type { GitMirror, Logger, RunnerOptions, SyncContext } from "../types.js";
import { createSyncContext } from "./sync-context.js";

/**
 * A sync context built from the runner's settings for the parts that only read (drift detection, pull request
 * plans): clients of their own for Dokploy and Vault, so they work beside any engine, even one given to the runner.
 */
export function readerContext(options: RunnerOptions, git: GitMirror, logger: Logger): SyncContext {
  const { settings } = options;
  return createSyncContext({
    git,
    dokploy: settings.dokploy,
    vault: settings.vault,
    hashKey: settings.hashKey,
    internalDomain: settings.internalDomain,
    logger,
    clock: options.clock,
    fetch: options.fetch,
  });
}
