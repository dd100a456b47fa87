import { utf8ToBytes } from "@noble/hashes/utils.js";
import { compareCodePoints } from "./compare-code-points.js";

/** Anything bytes can be fed into: a running hash or HMAC. */
export interface ByteSink {
  update(bytes: Uint8Array): unknown;
}

// A UTF-16 surrogate that is not half of a pair.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The UTF-8 bytes of `text`. A lone surrogate, which UTF-8 cannot represent, is written in its 3-byte generalized
 * UTF-8 (WTF-8) form rather than as U+FFFD, so two strings that differ only there still encode differently.
 */
export function encodeText(text: string): Uint8Array {
  if (!LONE_SURROGATE.test(text)) {
    return utf8ToBytes(text);
  }
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) {
      bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    } else {
      bytes.push(...utf8ToBytes(char));
    }
  }
  return Uint8Array.from(bytes);
}

/**
 * Writes `value` as an 8-byte big-endian length followed by its bytes. Every field of the config hash goes through
 * here, so the encoding can be parsed back unambiguously: no content can imitate a field boundary.
 */
export function writeField(sink: ByteSink, value: string | Uint8Array): void {
  const bytes = typeof value === "string" ? encodeText(value) : value;
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
