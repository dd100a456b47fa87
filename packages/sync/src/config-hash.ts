import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { writeEntries, writeField, writeLength } from "./canonical-encoding.js";
import { describeValue } from "./describe-value.js";
import type { ConfigHashInput } from "./types.js";

const CONFIG_HASH = /^v2:[0-9a-f]{64}$/;
const DOMAIN = "iac-runner/config-hash/v2";

/**
 * The config hash of one service: `"v2:"` followed by 64 lowercase hex characters of SHA-256 over a canonical
 * encoding of the compose text, the other files of the service, its env and its secrets.
 *
 * Every field is length-prefixed and maps are sorted by key, so key and file order do not matter while any change
 * of a byte, key, value or path, or moving content from one field to another, gives a different hash. Secrets only
 * enter through an HMAC-SHA256 keyed with `secretKey`, so a stored hash cannot be used to test guesses of a secret
 * offline; with no secrets the key is not needed and does not change the hash.
 *
 * The hashed bytes are `field("iac-runner/config-hash/v2")`, `field(compose)`, `map(files)`, `map(env)`, then the
 * number of secrets as 8 bytes and, when it is not 0, `HMAC-SHA256(secretKey, map(secrets))`. A `field` is its
 * byte length as 8 bytes big-endian followed by the bytes; a `map` is its entry count as 8 bytes followed by
 * `field(key) field(value)` per entry, sorted by key in code-point order. Strings are UTF-8 (a lone surrogate, which
 * UTF-8 cannot hold, is written in its 3-byte WTF-8 form so it stays distinct); file contents given as `Uint8Array`
 * are hashed as is.
 *
 * @throws {TypeError} when `secrets` is not empty and `secretKey` is missing or empty, or when a value has the
 *   wrong type.
 * @example
 * configHash({
 *   compose: composeText,
 *   files: { "platform/01.postgres/init.sql": initSql },
 *   env: { ENV: "staging" },
 *   secrets: { POSTGRES_PASSWORD: password },
 *   secretKey: hashKey,
 * }); // "v2:3f1c…"
 */
export function configHash(input: ConfigHashInput): string {
  const hash = sha256.create();
  writeField(hash, DOMAIN);
  writeField(hash, checkContent(input.compose, "compose", false));
  writeEntries(hash, checkedEntries(input.files, "files", true));
  writeEntries(hash, checkedEntries(input.env, "env", false));
  const secrets = checkedEntries(input.secrets, "secrets", false);
  writeLength(hash, secrets.length);
  if (secrets.length > 0) {
    const mac = hmac.create(sha256, secretKeyBytes(input.secretKey));
    writeEntries(mac, secrets);
    hash.update(mac.digest());
  }
  return `v2:${bytesToHex(hash.digest())}`;
}

/** True for a hash in the format of {@link configHash}: `"v2:"` and 64 lowercase hex characters. */
export function isConfigHash(value: unknown): value is string {
  return typeof value === "string" && CONFIG_HASH.test(value);
}

function checkedEntries(
  record: Readonly<Record<string, string | Uint8Array>> | undefined,
  field: string,
  allowBytes: boolean,
): Array<[string, string | Uint8Array]> {
  if (record === undefined) {
    return [];
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new TypeError(
      `[@iac/sync] invalid configHash input ${field}: expected an object, received ${describeValue(record)}`,
    );
  }
  return Object.entries(record).map(([key, value]) => [key, checkContent(value, `${field}["${key}"]`, allowBytes)]);
}

function checkContent(value: unknown, field: string, allowBytes: boolean): string | Uint8Array {
  if (typeof value === "string" || (allowBytes && value instanceof Uint8Array)) {
    return value;
  }
  const expected = allowBytes ? "a string or Uint8Array" : "a string";
  throw new TypeError(
    `[@iac/sync] invalid configHash input ${field}: expected ${expected}, received ${describeValue(value)}`,
  );
}

function secretKeyBytes(key: string | Uint8Array | undefined): Uint8Array {
  const bytes = typeof key === "string" ? utf8ToBytes(key) : key;
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) {
    throw new TypeError(
      `[@iac/sync] configHash needs a secretKey when secrets are given: expected a non-empty string or Uint8Array, received ${describeValue(key)}`,
    );
  }
  return bytes;
}
