import { RequestTimeoutError } from "@iac/sdk";
import { SyncError } from "./sync-error.js";

/**
 * Says why no response arrived, in words safe for logs and results: a timeout, or the system error code under
 * fetch's generic `TypeError` (`ECONNREFUSED`, `ENOTFOUND`, ...), never a URL or a header.
 */
export function describeNetworkError(error: unknown): string {
  if (error instanceof RequestTimeoutError) {
    return `none within ${error.timeoutMs} ms`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === "string") {
    return `none (${cause.code})`;
  }
  return `none (${error instanceof Error ? error.name : "network error"})`;
}

/** The error of a call to `what` (e.g. "Dokploy compose.one") that got no response, with the cause kept. */
export function noResponseError(
  code: "dokploy_unreachable" | "vault_unreachable",
  what: string,
  cause: unknown,
): SyncError {
  return new SyncError(code, `[@iac/server] ${what}: expected a response, received ${describeNetworkError(cause)}`, {
    cause,
  });
}
