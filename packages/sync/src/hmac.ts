import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { timingSafeEqual } from "./timing-safe-equal.js";
import { toBytes } from "./to-bytes.js";

// Enough for a current and a few previous secrets per process; bounded so arbitrary secrets cannot grow it.
const KEY_CACHE_SIZE = 16;
const keyCache = new Map<string, Promise<CryptoKey>>();

function getSubtle(): SubtleCrypto | undefined {
  return (globalThis as { crypto?: Partial<Crypto> | undefined }).crypto?.subtle;
}

function importKey(subtle: SubtleCrypto, secret: string): Promise<CryptoKey> {
  const cached = keyCache.get(secret);
  if (cached !== undefined) {
    return cached;
  }
  if (keyCache.size >= KEY_CACHE_SIZE) {
    const oldest = keyCache.keys().next().value;
    if (oldest !== undefined) {
      keyCache.delete(oldest);
    }
  }
  const key = subtle.importKey("raw", toBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  keyCache.set(secret, key);
  // A failed import must not poison the cache for later calls.
  key.catch(() => {
    if (keyCache.get(secret) === key) {
      keyCache.delete(secret);
    }
  });
  return key;
}

/**
 * HMAC-SHA256 of `data`. Uses WebCrypto (native, off the main thread) when `crypto.subtle` exists and
 * `@noble/hashes` otherwise, so it runs on every JavaScript runtime.
 */
export async function hmacSha256(secret: string, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const subtle = getSubtle();
  if (subtle === undefined) {
    return hmac(sha256, toBytes(secret), data);
  }
  return new Uint8Array(await subtle.sign("HMAC", await importKey(subtle, secret), data));
}

/**
 * Whether `mac` is the HMAC-SHA256 of `data` under any of `secrets`, tried in order. Each comparison is
 * constant-time: `crypto.subtle.verify` compares inside the engine, the fallback uses `timingSafeEqual`.
 */
export async function hmacSha256Verify(
  secrets: readonly string[],
  data: Uint8Array<ArrayBuffer>,
  mac: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const subtle = getSubtle();
  for (const secret of secrets) {
    const ok =
      subtle === undefined
        ? timingSafeEqual(hmac(sha256, toBytes(secret), data), mac)
        : await subtle.verify("HMAC", await importKey(subtle, secret), mac, data);
    if (ok) {
      return true;
    }
  }
  return false;
}
