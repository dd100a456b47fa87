/**
 * The engine's defaults, decided here once: `createSyncEngine` falls back to them, and the settings (`IAC_CONCURRENCY`,
 * `IAC_LEASE_SECONDS`, `IAC_RETRY_LIMIT`) default to them.
 */

/** Syncs of one process that talk to Dokploy at the same time. */
export const DEFAULT_CONCURRENCY = 4;
/** How long a claimed service is held without a heartbeat before another runner may take it over. */
export const DEFAULT_LEASE_MS = 30_000;
/** Retries of a transient failure before the service fails. */
export const DEFAULT_RETRY_LIMIT = 3;
