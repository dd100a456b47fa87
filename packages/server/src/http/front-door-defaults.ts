/**
 * The Node front door's defaults, decided here once: `createNodeListener` and `createNodeServer` fall back to them,
 * and the settings (`IAC_WEBHOOK_MAX_BODY_BYTES`, `IAC_BODY_BUDGET_BYTES`, the timeouts, `IAC_MAX_CONNECTIONS`)
 * default to them.
 */

/** The largest body of any request: GitHub's own limit for a webhook delivery, 25 MiB. */
export const DEFAULT_MAX_BODY_BYTES: number = 25 * 1024 * 1024;
/** Request body bytes held at once beyond the first 64 KiB of each body. */
export const DEFAULT_BODY_BUDGET_BYTES: number = 64 * 1024 * 1024;
/** Time a client has to send its request headers. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** Time a client has to send its whole request, body included. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** How long an idle keep-alive connection stays open. */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Connections open at once; further ones are closed as they arrive. */
export const DEFAULT_MAX_CONNECTIONS = 512;
