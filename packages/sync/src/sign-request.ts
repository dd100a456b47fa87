import { bytesToHex } from "@noble/hashes/utils.js";
import { assertPayload, assertSecret } from "./assert-input.js";
import { describeValue } from "./describe-value.js";
import { hmacSha256 } from "./hmac.js";
import { NONCE_PATTERN, requestMessage } from "./request-message.js";
import type { SignedRequestHeaders, SignRequestOptions } from "./types.js";

function randomNonce(): string {
  const random = (globalThis as { crypto?: Partial<Crypto> | undefined }).crypto;
  if (typeof random?.getRandomValues !== "function") {
    throw new TypeError("[@iac/sync] signRequest needs crypto.getRandomValues to make a nonce; pass nonce explicitly");
  }
  return bytesToHex(random.getRandomValues(new Uint8Array(16)));
}

/**
 * Signs a request for the runner's `/deploy` and `/sync` endpoints. The HMAC-SHA256 covers
 * `"<timestamp>.<nonce>.<body>"`, so a captured request cannot be replayed after the skew window or, within it,
 * under a nonce the runner has already seen. Async because HMAC may run on WebCrypto (on runtimes without a built-in crypto module).
 *
 * @throws {TypeError} for an empty secret, a body that is neither a string nor a Uint8Array, a timestamp that is not
 * a non-negative integer, or a nonce outside 8 to 128 characters of `[A-Za-z0-9._:-]`.
 * @example
 * ```ts
 * const body = JSON.stringify({ env: "staging", tag: "v1.2.4" });
 * const headers = await signRequest({ secret, body });
 * await fetch("https://iac.example.com/deploy", { method: "POST", body, headers });
 * ```
 */
export async function signRequest(options: SignRequestOptions): Promise<SignedRequestHeaders> {
  const { secret, body, timestamp = Math.floor(Date.now() / 1000), nonce } = options;
  assertSecret(secret);
  assertPayload(body, "body");
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    const received = typeof timestamp === "number" ? String(timestamp) : describeValue(timestamp);
    throw new TypeError(`[@iac/sync] timestamp must be a non-negative integer of unix seconds, received ${received}`);
  }
  if (nonce !== undefined && (typeof nonce !== "string" || !NONCE_PATTERN.test(nonce))) {
    throw new TypeError(
      `[@iac/sync] nonce must be 8 to 128 characters of [A-Za-z0-9._:-], received ${describeValue(nonce)}`,
    );
  }
  const usedNonce = nonce ?? randomNonce();
  const mac = await hmacSha256(secret, requestMessage(String(timestamp), usedNonce, body));
  return {
    "x-hub-signature-256": `sha256=${bytesToHex(mac)}`,
    "x-iac-timestamp": String(timestamp),
    "x-iac-nonce": usedNonce,
  };
}
