import type { SignablePayload } from "./types.js";

const encoder = new TextEncoder();

// TextEncoder.encode is several times slower than encodeInto on large strings in V8 (it measures the string first).
// A webhook body is mostly ASCII, so a buffer of one byte per UTF-16 unit usually holds it all in one pass.
function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length);
  const first = encoder.encodeInto(text, bytes);
  if (first.read === text.length) {
    return bytes.subarray(0, first.written);
  }
  // At most 3 bytes per remaining UTF-16 unit; encodeInto never splits a surrogate pair at the boundary.
  const grown = new Uint8Array(first.written + (text.length - first.read) * 3);
  grown.set(bytes.subarray(0, first.written));
  const rest = encoder.encodeInto(text.slice(first.read), grown.subarray(first.written));
  return grown.subarray(0, first.written + rest.written);
}

/**
 * The bytes that are signed: a string as UTF-8, a Uint8Array as is (copied only when it views a SharedArrayBuffer,
 * which WebCrypto refuses). Optional `prefix` is prepended.
 */
export function toBytes(payload: SignablePayload, prefix = ""): Uint8Array<ArrayBuffer> {
  if (typeof payload === "string") {
    return encodeUtf8(prefix + payload);
  }
  if (prefix === "") {
    return payload.buffer instanceof ArrayBuffer ? (payload as Uint8Array<ArrayBuffer>) : new Uint8Array(payload);
  }
  const head = encodeUtf8(prefix);
  const bytes = new Uint8Array(head.length + payload.length);
  bytes.set(head);
  bytes.set(payload, head.length);
  return bytes;
}
