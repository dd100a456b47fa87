import { createDokployClient } from "@iac/sdk";
import type { SyncContext, SyncEngineOptions } from "../types.js";
import { systemClock } from "./system-clock.js";
import { createVaultSession } from "./vault-session.js";

const DEFAULT_DEPLOY_TIMEOUT_MS = 15 * 60_000;
const DEFAULT_POLL_INTERVAL_MS = 3_000;

/**
 * Builds what {@link syncService} needs from the engine options: the Dokploy client, the Vault session (when Vault
 * is configured), the timing settings and the fetch of the probes (`globalThis.fetch` at call time by default).
 *
 * @throws {TypeError} for an empty `hashKey` (secrets would enter the hash unkeyed) or bad timings.
 */
export function createSyncContext(options: Omit<SyncEngineOptions, "store">): SyncContext {
  if (typeof options.hashKey !== "string" || options.hashKey === "") {
    throw new TypeError("[@iac/server] invalid hashKey: expected a non-empty string, received an empty value");
  }
  const clock = options.clock ?? systemClock;
  const deployTimeoutMs = positive("deployTimeoutMs", options.deployTimeoutMs ?? DEFAULT_DEPLOY_TIMEOUT_MS);
  const pollIntervalMs = positive("pollIntervalMs", options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  const dokploy = createDokployClient({
    baseUrl: options.dokploy.baseUrl,
    apiKey: options.dokploy.apiKey,
    timeoutMs: options.dokploy.timeoutMs,
    retry: options.dokploy.retry,
    fetch: options.fetch,
  });
  const vault =
    options.vault === undefined
      ? undefined
      : createVaultSession({ vault: options.vault, clock, logger: options.logger, fetch: options.fetch });
  return {
    git: options.git,
    dokploy,
    vault,
    vaultAddress: options.vault?.address,
    internalDomain: options.internalDomain,
    hashKey: options.hashKey,
    clock,
    deployTimeoutMs,
    pollIntervalMs,
    fetch: options.fetch ?? ((request) => globalThis.fetch(request)),
  };
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`[@iac/server] invalid ${name}: expected a positive number of milliseconds, received ${value}`);
  }
  return value;
}
