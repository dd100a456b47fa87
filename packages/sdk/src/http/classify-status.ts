import type { SdkErrorCode } from "../types.js";

const BY_STATUS: ReadonlyMap<number, SdkErrorCode> = new Map([
  [400, "bad_request"],
  [401, "unauthorized"],
  [403, "forbidden"],
  [404, "not_found"],
  [409, "conflict"],
  [412, "precondition_failed"],
  [415, "unsupported_media_type"],
  [429, "rate_limited"],
  [502, "unavailable"],
  [503, "unavailable"],
  [504, "unavailable"],
]);

// 412 is Vault Enterprise's "not yet replicated to this node" and clears on its own.
const RETRYABLE: ReadonlySet<SdkErrorCode> = new Set(["precondition_failed", "rate_limited", "unavailable"]);

/** Maps an HTTP error status to a normalised code and tells whether trying again later may help. */
export function classifyStatus(status: number): { code: SdkErrorCode; retryable: boolean } {
  const code = BY_STATUS.get(status) ?? (status >= 500 && status <= 599 ? "server_error" : "unexpected");
  return { code, retryable: RETRYABLE.has(code) };
}
