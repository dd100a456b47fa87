import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { timingSafeEqual, timingSafeEqualText } from "./timing-safe-equal.js";
import { toBytes } from "./to-bytes.js";
import type { SignablePayload } from "./types.js";

// Enough for a current and a few previous secrets per process; bounded so arbitrary secrets cannot grow it.
const KEY_CACHE_SIZE = 16;
const keyCache = new Map<string, Promise<CryptoKey>>();

/** The part of a runtime's built-in `crypto` module (Node, Bun, Deno) that HMAC needs. */
interface NativeCrypto {
  createHmac(
    algorithm: "sha256",
    key: string,
  ): { update(data: string | Uint8Array): { digest(): Uint8Array; digest(encoding: "hex"): string } };
}

/** Not a function any runtime has: the first lookup always runs. */
const NOT_LOOKED_UP = Symbol("not looked up");
let lookedUpWith: unknown = NOT_LOOKED_UP;
let nativeCrypto: NativeCrypto | undefined;

/**
 * The runtime's built-in crypto module, looked up at run time (never imported, so bundles for Workers and browsers
 * stay free of it). WebCrypto on Node answers each call through a thread-pool round trip, which made a 7.7 KB verify
 * many times slower than a synchronous native HMAC; the built-in module is the fast path wherever it exists.
 */
function getNative(): NativeCrypto | undefined {
  const runtime = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } | undefined }).process;
  const lookup = runtime?.getBuiltinModule;
  // Looked up once per lookup function (a verification costs no module lookup), again only if it was replaced.
  if (lookup !== lookedUpWith) {
    lookedUpWith = lookup;
    const found = lookup?.call(runtime, "node:crypto") as Partial<NativeCrypto> | undefined;
    nativeCrypto = typeof found?.createHmac === "function" ? (found as NativeCrypto) : undefined;
  }
  return nativeCrypto;
}

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
 * HMAC-SHA256 of `data`. Uses the runtime's built-in crypto module where there is one (Node, Bun, Deno), WebCrypto
 * where `crypto.subtle` exists (Workers, browsers), and `@noble/hashes` otherwise, so it runs on every runtime.
 */
export async function hmacSha256(secret: string, data: SignablePayload): Promise<Uint8Array> {
  const native = getNative();
  if (native !== undefined) {
    return native.createHmac("sha256", secret).update(data).digest();
  }
  const subtle = getSubtle();
  if (subtle === undefined) {
    return hmac(sha256, toBytes(secret), toBytes(data));
  }
  return new Uint8Array(await subtle.sign("HMAC", await importKey(subtle, secret), toBytes(data)));
}

/**
 * Whether `hex` (64 lower-case hex digits, see `parseSignature`) is the HMAC-SHA256 of `data` under any of `secrets`,
 * tried in order. Each comparison is constant-time: of the hex digests with the built-in module (a hex digest costs
 * less to make than a byte buffer), inside the engine with `crypto.subtle.verify`, or of the bytes on the
 * `@noble/hashes` fallback. With the built-in module the answer is given at once, not as a promise: a server refusing
 * a flood of bad signatures spends nothing on promise hops.
 */
export function hmacSha256Verify(
  secrets: readonly string[],
  data: SignablePayload,
  hex: string,
): boolean | Promise<boolean> {
  const native = getNative();
  if (native === undefined) {
    return verifyPortably(secrets, data, hexToBytes(hex) as Uint8Array<ArrayBuffer>);
  }
  for (const secret of secrets) {
    // The built-in module hashes strings in native code: no UTF-8 copy in JavaScript.
    if (timingSafeEqualText(native.createHmac("sha256", secret).update(data).digest("hex"), hex)) {
      return true;
    }
  }
  return false;
}

/** {@link hmacSha256Verify} on WebCrypto, else `@noble/hashes`. */
async function verifyPortably(
  secrets: readonly string[],
  data: SignablePayload,
  mac: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const subtle = getSubtle();
  const bytes = toBytes(data);
  for (const secret of secrets) {
    const ok =
      subtle === undefined
        ? timingSafeEqual(hmac(sha256, toBytes(secret), bytes), mac)
        : await subtle.verify("HMAC", await importKey(subtle, secret), mac, bytes);
    if (ok) {
      return true;
    }
  }
  return false;
}
