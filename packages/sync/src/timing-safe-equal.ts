/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they differ. Used by the
 * `@noble/hashes` fallback; the other backends compare natively.
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
