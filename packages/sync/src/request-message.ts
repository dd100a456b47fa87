import { toBytes } from "./to-bytes.js";
import type { SignablePayload } from "./types.js";

/** Allowed `x-iac-nonce` values. */
export const NONCE_PATTERN: RegExp = /^[A-Za-z0-9._:-]{8,128}$/;

/** Allowed `x-iac-timestamp` values: unix seconds in canonical decimal (no sign, no leading zeros). */
export const TIMESTAMP_PATTERN: RegExp = /^(?:0|[1-9][0-9]{0,14})$/;

/** The bytes a signed request's HMAC covers: `"<timestamp>.<nonce>.<body>"`. */
export function requestMessage(timestamp: string, nonce: string, body: SignablePayload): SignablePayload {
  const prefix = `${timestamp}.${nonce}.`;
  return typeof body === "string" ? prefix + body : toBytes(body, prefix);
}
