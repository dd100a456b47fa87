import type { HealthCheck, LocalGitMirror, SyncDokployOptions, SyncVaultOptions } from "../types.js";

/** Vault answers these from `sys/health` when it can serve reads (active, standby, performance standby, DR). */
const VAULT_SERVING = new Set([200, 429, 472, 473]);

async function get(fetchFn: typeof fetch, url: string, headers: Record<string, string>, signal: AbortSignal) {
  try {
    const response = await fetchFn(url, { headers, signal });
    // Release the connection without waiting: with some fetch implementations cancel() never settles.
    response.body?.cancel().catch(() => undefined);
    return response.status;
  } catch (error) {
    if (signal.aborted) {
      throw new Error("timed out");
    }
    throw new Error(`unreachable (${error instanceof Error ? error.name : "network error"})`);
  }
}

/**
 * Dokploy is reachable and accepts the API key (`GET /api/settings.health`). Only a 2xx passes: a 404 means
 * `DOKPLOY_URL` points at something that is not Dokploy.
 */
export function dokployCheck(dokploy: SyncDokployOptions, fetchFn?: typeof fetch): HealthCheck {
  return async (signal) => {
    const status = await get(
      fetchFn ?? globalThis.fetch,
      `${dokploy.baseUrl}/api/settings.health`,
      { "x-api-key": dokploy.apiKey },
      signal,
    );
    if (status === 401 || status === 403) {
      throw new Error(`Dokploy refused the API key (HTTP ${status})`);
    }
    if (status < 200 || status >= 300) {
      throw new Error(`Dokploy answered HTTP ${status}`);
    }
  };
}

/** Vault is reachable, initialised and unsealed (`GET /v1/sys/health`, no token needed). */
export function vaultCheck(vault: SyncVaultOptions, fetchFn?: typeof fetch): HealthCheck {
  return async (signal) => {
    const status = await get(fetchFn ?? globalThis.fetch, `${vault.address}/v1/sys/health`, {}, signal);
    if (!VAULT_SERVING.has(status)) {
      throw new Error(`Vault cannot serve reads (HTTP ${status}: sealed, uninitialised or down)`);
    }
  };
}

/**
 * The runner can fetch the repository: the last fetch worked (or none ran yet) and the remote answers `ls-remote`.
 * A failed fetch keeps the check failing until a fetch works again, even while the remote answers probes.
 */
export function gitCheck(mirror: Pick<LocalGitMirror, "fetchFailure" | "probeRemote">): HealthCheck {
  return async () => {
    const failure = mirror.fetchFailure();
    if (failure !== undefined) {
      throw new Error(`the last fetch failed: ${failure}`);
    }
    await mirror.probeRemote();
  };
}
