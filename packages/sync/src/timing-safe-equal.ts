/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they differ. Used by the
 * `@noble/hashes` fallback; WebCrypto compares inside the engine.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    diff |= (a[i] as number) ^ (b[i] as number);
  }
  return diff === 0;
}

/** {@link timingSafeEqual} for two strings, by UTF-16 code unit: the hex digests of the built-in crypto module. */
export function timingSafeEqualText(a: string, b: string): boolean {
  if (a.length !== b.length) {
    return false;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return diff === 0;
}
