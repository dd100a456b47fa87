const SIGNATURE = /^sha256=[0-9a-fA-F]{64}$/;
const PREFIX_LENGTH = "sha256=".length;

/**
 * The 64 hex digits of a `sha256=<64 hex>` signature, lower-cased (as a hex digest is written), or null for anything
 * else (wrong prefix or length, non-hex, not a string). Never throws: the value comes straight from a request header.
 */
export function parseSignature(value: unknown): string | null {
  return typeof value === "string" && SIGNATURE.test(value) ? value.slice(PREFIX_LENGTH).toLowerCase() : null;
}
