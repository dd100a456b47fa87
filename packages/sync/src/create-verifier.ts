import { assertPayload, assertSecret } from "./assert-input.js";
import { describeValue } from "./describe-value.js";
import { hmacSha256Verify } from "./hmac.js";
import { parseSignature } from "./parse-signature.js";
import type { SignablePayload, WebhookVerifier } from "./types.js";

/**
 * A verifier of GitHub-style `sha256=<hex>` signatures for a fixed list of secrets, tried in order (current first,
 * then previous ones during a rotation). The secrets are checked once, here; each verification then hashes and
 * compares in constant time. For a server that verifies many deliveries: `verifyWithFallback` does the same per call.
 *
 * @throws {TypeError} when `secrets` is not a non-empty array of non-empty strings.
 * @example
 * ```ts
 * const verifier = createVerifier([current, previous]);
 * const answer = verifier.verify(rawBody, request.headers.get("x-hub-signature-256"));
 * if (!(typeof answer === "boolean" ? answer : await answer)) {
 *   return new Response("bad signature", { status: 401 });
 * }
 * ```
 */
export function createVerifier(secrets: readonly string[]): WebhookVerifier {
  if (!Array.isArray(secrets)) {
    throw new TypeError(`[@iac/sync] secrets must be an array of strings, received ${describeValue(secrets)}`);
  }
  if (secrets.length === 0) {
    // Never fail open: a verifier without a secret could accept nothing, which is a configuration mistake.
    throw new TypeError("[@iac/sync] secrets must hold at least one secret");
  }
  secrets.forEach((secret: unknown, index) => {
    assertSecret(secret, `secrets[${index}]`);
  });
  return verifierOf([...secrets]);
}

/** {@link createVerifier} for secrets the caller has checked. */
export function verifierOf(secrets: readonly string[]): WebhookVerifier {
  return {
    verify(payload, signature) {
      assertPayload(payload);
      const hex = parseSignature(signature);
      return hex === null ? false : hmacSha256Verify(secrets, payload as SignablePayload, hex);
    },
  };
}
