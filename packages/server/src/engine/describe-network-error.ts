import { RequestTimeoutError } from "@iac/sdk";

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
