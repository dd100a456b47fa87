import { assertPayload, assertSecret } from "./assert-input.js";
import { describeValue } from "./describe-value.js";
import { hmacSha256Verify } from "./hmac.js";
import { parseSignature } from "./parse-signature.js";
import type { SignablePayload } from "./types.js";

/**
 * Like `verify`, but also accepts a signature made with any of `additionalSecrets`, so a secret can be rotated
 * without dropping deliveries signed with the previous one. `secret` is tried first. Async because HMAC may run
 * on WebCrypto.
 *
 * Resolves to false, and never throws, for a missing or malformed signature.
 *
 * @throws {TypeError} when a secret is not a non-empty string, `additionalSecrets` is not an array, or `payload` is
 * neither a string nor a Uint8Array.
 * @example
 * ```ts
 * const ok = await verifyWithFallback(current, rawBody, request.headers.get("x-hub-signature-256"), [previous]);
 * ```
 */
export async function verifyWithFallback(
  secret: string,
  payload: SignablePayload,
  signature: unknown,
  additionalSecrets: readonly string[],
): Promise<boolean> {
  assertSecret(secret);
  assertPayload(payload);
  if (!Array.isArray(additionalSecrets)) {
    throw new TypeError(
      `[@iac/sync] additionalSecrets must be an array of strings, received ${describeValue(additionalSecrets)}`,
    );
  }
  additionalSecrets.forEach((extra: unknown, index) => {
    assertSecret(extra, `additionalSecrets[${index}]`);
  });
  const mac = parseSignature(signature);
  if (mac === null) {
    return false;
  }
  return hmacSha256Verify(additionalSecrets.length === 0 ? [secret] : [secret, ...additionalSecrets], payload, mac);
}
