import type { SignablePayload } from "./types.js";
import { verifyWithFallback } from "./verify-with-fallback.js";

/**
 * Checks a GitHub-style `sha256=<hex>` signature of the raw payload in constant time. Async because HMAC may run on
 * WebCrypto. Verify the body exactly as received, before parsing it.
 *
 * Resolves to false, and never throws, for a missing, malformed, non-hex, wrong-length or wrong-prefix signature and
 * for any non-string signature value: the signature is attacker-controlled.
 *
 * @throws {TypeError} when `secret` is not a non-empty string or `payload` is neither a string nor a Uint8Array
 * (programmer errors).
 * @example
 * ```ts
 * const body = await request.text();
 * if (!(await verify(secret, body, request.headers.get("x-hub-signature-256")))) {
 *   return new Response("bad signature", { status: 400 });
 * }
 * ```
 */
export function verify(secret: string, payload: SignablePayload, signature: unknown): Promise<boolean> {
  return verifyWithFallback(secret, payload, signature, []);
}
