import { hexToBytes } from "@noble/hashes/utils.js";

const SIGNATURE = /^sha256=[0-9a-fA-F]{64}$/;

/**
 * The 32 MAC bytes of a `sha256=<64 hex>` signature, or null for anything else (wrong prefix or length, non-hex,
 * not a string). Never throws: the value comes straight from a request header.
 */
export function parseSignature(value: unknown): Uint8Array<ArrayBuffer> | null {
  if (typeof value !== "string" || !SIGNATURE.test(value)) {
    return null;
  }
  return new Uint8Array(hexToBytes(value.slice("sha256=".length)));
}
