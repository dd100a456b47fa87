const SIGNATURE = /^sha256=[0-9a-fA-F]{64}$/;
const PREFIX_LENGTH = "sha256=".length;

/** The value of a hex digit's character code (`0-9`, `a-f`, `A-F`), which the caller has checked. */
function hexValue(code: number): number {
  // Setting bit 0x20 lower-cases a letter and leaves a digit as it is.
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}

/**
 * The 32 MAC bytes of a `sha256=<64 hex>` signature, or null for anything else (wrong prefix or length, non-hex,
 * not a string). Never throws: the value comes straight from a request header.
 */
export function parseSignature(value: unknown): Uint8Array<ArrayBuffer> | null {
  if (typeof value !== "string" || !SIGNATURE.test(value)) {
    return null;
  }
  const mac = new Uint8Array(32);
  for (let index = 0; index < mac.length; index += 1) {
    const at = PREFIX_LENGTH + 2 * index;
    mac[index] = (hexValue(value.charCodeAt(at)) << 4) | hexValue(value.charCodeAt(at + 1));
  }
  return mac;
}
