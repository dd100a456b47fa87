import { assertSecret } from "./assert-input.js";
import { verifierOf } from "./create-verifier.js";
import { describeValue } from "./describe-value.js";
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
  if (!Array.isArray(additionalSecrets)) {
    throw new TypeError(
      `[@iac/sync] additionalSecrets must be an array of strings, received ${describeValue(additionalSecrets)}`,
    );
  }
  additionalSecrets.forEach((extra: unknown, index) => {
    assertSecret(extra, `additionalSecrets[${index}]`);
  });
  return verifierOf(additionalSecrets.length === 0 ? [secret] : [secret, ...additionalSecrets]).verify(
    payload,
    signature,
  );
}
