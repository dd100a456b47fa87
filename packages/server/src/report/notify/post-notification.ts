import type { FetchLike } from "@iac/sdk";
import { describeNetworkError } from "../../engine/describe-network-error.js";

/** How one target took a notification; `reason` is safe to log (a status or an error code, never the URL). */
export type PostOutcome = { kind: "sent" } | { kind: "retry"; reason: string } | { kind: "refused"; reason: string };

/** Statuses that say "not now" rather than "never": a timeout, rate limiting, a server error. */
function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Sends one notification. 2xx is delivered; 408, 429, 5xx, no answer or no answer in time are retried later; any
 * other status (a 3xx, a 4xx: a wrong or revoked URL, a key the receiver does not accept) is refused.
 */
export async function postNotification(fetch: FetchLike, request: Request): Promise<PostOutcome> {
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    return { kind: "retry", reason: `expected an answer, received ${describeNetworkError(error)}` };
  }
  // Only the status matters; the body is dropped so the connection is freed.
  await response.body?.cancel().catch(() => undefined);
  const reason = `answered ${response.status}`;
  if (response.ok) {
    return { kind: "sent" };
  }
  return isTransient(response.status) ? { kind: "retry", reason } : { kind: "refused", reason };
}
