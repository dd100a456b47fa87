import { utf8ToBytes } from "@noble/hashes/utils.js";
import { compareCodePoints } from "./compare-code-points.js";

/** Anything bytes can be fed into: a running hash or HMAC. */
export interface ByteSink {
  update(bytes: Uint8Array): unknown;
}

/**
 * Writes `value` as an 8-byte big-endian length followed by its bytes. Every field of the config hash goes through
 * here, so the encoding can be parsed back unambiguously: no content can imitate a field boundary.
 */
export function writeField(sink: ByteSink, value: string | Uint8Array): void {
  const bytes = typeof value === "string" ? utf8ToBytes(value) : value;
  writeLength(sink, bytes.length);
  sink.update(bytes);
}

/** Writes a count or length as 8 bytes, big-endian. */
export function writeLength(sink: ByteSink, length: number): void {
  const header = new Uint8Array(8);
  const view = new DataView(header.buffer);
  view.setUint32(0, Math.floor(length / 2 ** 32));
  view.setUint32(4, length >>> 0);
  sink.update(header);
}

/**
 * Writes a map as its entry count followed by `key, value` field pairs sorted by key in code-point order (the order
 * of their UTF-8 bytes), so the result does not depend on insertion order.
 */
export function writeEntries(sink: ByteSink, entries: ReadonlyArray<readonly [string, string | Uint8Array]>): void {
  writeLength(sink, entries.length);
  for (const [key, value] of [...entries].sort(([a], [b]) => compareCodePoints(a, b))) {
    writeField(sink, key);
    writeField(sink, value);
  }
}
