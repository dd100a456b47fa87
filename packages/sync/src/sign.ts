import { bytesToHex } from "@noble/hashes/utils.js";
import { assertPayload, assertSecret } from "./assert-input.js";
import { hmacSha256 } from "./hmac.js";
import type { SignablePayload } from "./types.js";

/**
 * Signs a payload the way GitHub signs webhook deliveries: `sha256=` followed by the lower-case hex HMAC-SHA256 of
 * the raw bytes (a string is signed as UTF-8). Async because HMAC may run on WebCrypto.
 *
 * @throws {TypeError} when `secret` is not a non-empty string or `payload` is neither a string nor a Uint8Array.
 * @example
 * ```ts
 * await sign("It's a Secret to Everybody", "Hello, World!");
 * // "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
 * ```
 */
export async function sign(secret: string, payload: SignablePayload): Promise<string> {
  assertSecret(secret);
  assertPayload(payload);
  return `sha256=${bytesToHex(await hmacSha256(secret, payload))}`;
}
