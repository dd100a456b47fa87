import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { encodeText, writeEntries } from "./canonical-encoding.js";
import { configHash } from "./config-hash.js";
import type { ConfigHashDigests, ConfigHashInput } from "./types.js";

function digest(content: string | Uint8Array): string {
  return `sha256:${bytesToHex(sha256(typeof content === "string" ? encodeText(content) : content))}`;
}

/**
 * The config hash of `input` and a digest of every input that went into it, so an operator can see what a hash is
 * made of and two commits can be compared input by input:
 *
 * - the compose text, each file (by path) and each env value: `sha256:<hex>` of their bytes (text as UTF-8);
 * - each secret: `hmac-sha256:<hex>`, an HMAC-SHA256 keyed with `secretKey` over the key and value encoded exactly as
 *   `configHash` feeds its secrets HMAC (a one-entry map). Like the hash, a digest cannot be used to test guesses of
 *   a secret without the key, so it is safe to print; the value itself never leaves this function.
 *
 * Validates its input like `configHash` (same `TypeError`s), which it calls for `hash`.
 *
 * @example
 * const { hash, files, secrets } = configHashDigests({ compose, files: { "platform/01.pg/init.sql": sql }, secrets, secretKey });
 * files["platform/01.pg/init.sql"]; // "sha256:…"
 * secrets.POSTGRES_PASSWORD; // "hmac-sha256:…"
 */
export function configHashDigests(input: ConfigHashInput): ConfigHashDigests {
  const hash = configHash(input);
  const secretEntries = Object.entries(input.secrets ?? {});
  const key = typeof input.secretKey === "string" ? utf8ToBytes(input.secretKey) : input.secretKey;
  const secrets = Object.fromEntries(
    secretEntries.map(([name, value]) => {
      // configHash has checked the key already whenever there is a secret.
      const mac = hmac.create(sha256, key as Uint8Array);
      writeEntries(mac, [[name, value]]);
      return [name, `hmac-sha256:${bytesToHex(mac.digest())}`];
    }),
  );
  const digests = (record: Readonly<Record<string, string | Uint8Array>> | undefined): Record<string, string> =>
    Object.fromEntries(Object.entries(record ?? {}).map(([name, content]) => [name, digest(content)]));
  return {
    hash,
    compose: digest(input.compose),
    files: digests(input.files),
    env: digests(input.env),
    secrets,
  };
}
