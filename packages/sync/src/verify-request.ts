import { assertPayload, assertSecret } from "./assert-input.js";
import { describeValue } from "./describe-value.js";
import { hmacSha256Verify } from "./hmac.js";
import { parseSignature } from "./parse-signature.js";
import { readHeader } from "./read-header.js";
import { NONCE_PATTERN, requestMessage, TIMESTAMP_PATTERN } from "./request-message.js";
import type { VerifyRequestOptions, VerifyRequestResult } from "./types.js";

const DEFAULT_MAX_SKEW_SECONDS = 300;

function assertSeconds(value: unknown, name: string, allowNegative: boolean): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value) || (!allowNegative && value < 0)) {
    const received = typeof value === "number" ? String(value) : describeValue(value);
    const expected = allowNegative ? "a finite number of seconds" : "a non-negative finite number of seconds";
    throw new TypeError(`[@iac/sync] ${name} must be ${expected}, received ${received}`);
  }
}

/**
 * Checks a request signed with `signRequest`: signature header present and well-formed, timestamp within
 * `maxSkewSeconds` of `now` in either direction, and HMAC-SHA256 over `"<timestamp>.<nonce>.<body>"` made with one of
 * `secrets`. The cheap header checks run before any HMAC. Async because HMAC may run on WebCrypto (on runtimes without a built-in crypto module).
 *
 * Resolves to `{ ok: false, reason }` for every problem with the request and never throws on request data. On
 * success the timestamp and nonce are returned: refusing a nonce already seen within the skew window is the
 * caller's job.
 *
 * @throws {TypeError} for an empty `secrets` list or an empty secret, a body that is neither a string nor a
 * Uint8Array, or a non-finite `now`/`maxSkewSeconds` (programmer errors).
 * @example
 * ```ts
 * const body = await request.text();
 * const result = await verifyRequest({ secrets: [current, previous], body, headers: request.headers });
 * if (!result.ok) {
 *   return new Response(result.reason, { status: 401 });
 * }
 * ```
 */
export async function verifyRequest(options: VerifyRequestOptions): Promise<VerifyRequestResult> {
  const {
    secrets,
    body,
    headers,
    now = Math.floor(Date.now() / 1000),
    maxSkewSeconds = DEFAULT_MAX_SKEW_SECONDS,
  } = options;
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new TypeError(`[@iac/sync] secrets must be a non-empty array of strings, received ${describeValue(secrets)}`);
  }
  for (const [index, secret] of secrets.entries()) {
    assertSecret(secret, `secrets[${index}]`);
  }
  assertPayload(body, "body");
  if (typeof headers !== "object" || headers === null) {
    throw new TypeError(`[@iac/sync] headers must be a Headers or a plain object, received ${describeValue(headers)}`);
  }
  assertSeconds(now, "now", true);
  assertSeconds(maxSkewSeconds, "maxSkewSeconds", false);

  const signature = readHeader(headers, "x-hub-signature-256");
  if (signature === undefined) {
    return { ok: false, reason: "missing-signature" };
  }
  const hex = parseSignature(signature);
  const timestamp = readHeader(headers, "x-iac-timestamp");
  const nonce = readHeader(headers, "x-iac-nonce");
  if (
    hex === null ||
    typeof timestamp !== "string" ||
    !TIMESTAMP_PATTERN.test(timestamp) ||
    typeof nonce !== "string" ||
    !NONCE_PATTERN.test(nonce)
  ) {
    return { ok: false, reason: "malformed" };
  }
  const seconds = Number(timestamp);
  if (Math.abs(now - seconds) > maxSkewSeconds) {
    return { ok: false, reason: "stale" };
  }
  if (!(await hmacSha256Verify(secrets, requestMessage(timestamp, nonce, body), hex))) {
    return { ok: false, reason: "bad-signature" };
  }
  return { ok: true, timestamp: seconds, nonce };
}
