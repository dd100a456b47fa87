import { describe, expect, it } from "vitest";
import { type ByteSink, encodeText, writeEntries, writeField, writeLength } from "../src/canonical-encoding.js";

function collect(write: (sink: ByteSink) => void): number[] {
  const bytes: number[] = [];
  write({ update: (chunk) => bytes.push(...chunk) });
  return bytes;
}

describe("canonical encoding", () => {
  it.each([
    [0, [0, 0, 0, 0, 0, 0, 0, 0]],
    [258, [0, 0, 0, 0, 0, 0, 1, 2]],
    [2 ** 32 + 5, [0, 0, 0, 1, 0, 0, 0, 5]],
    [Number.MAX_SAFE_INTEGER, [0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]],
  ])("writeLength(%d) writes 8 bytes big-endian", (length, want) => {
    expect(collect((sink) => writeLength(sink, length))).toEqual(want);
  });

  it("writeField prefixes the UTF-8 bytes with their length", () => {
    expect(collect((sink) => writeField(sink, "é"))).toEqual([0, 0, 0, 0, 0, 0, 0, 2, 0xc3, 0xa9]);
  });

  it.each([
    ["a lone high surrogate", "a\uD800b", [0x61, 0xed, 0xa0, 0x80, 0x62]],
    ["a lone low surrogate", "\uDFFF", [0xed, 0xbf, 0xbf]],
    ["a reversed pair", "\uDC00\uD800", [0xed, 0xb0, 0x80, 0xed, 0xa0, 0x80]],
    ["a lone surrogate next to a pair", "\uD800\u{1F600}", [0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80]],
    ["a well-formed string, as plain UTF-8", "é\u{1F600}", [0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80]],
  ])("encodeText writes %s in WTF-8", (_name, text, want) => {
    expect([...encodeText(text)]).toEqual(want);
  });

  it("writeEntries writes the count, then entries sorted by code point", () => {
    const bytes = collect((sink) =>
      writeEntries(sink, [
        ["\u{1F600}", "b"],
        ["\uFFFD", new Uint8Array([1])],
      ]),
    );
    const field = (value: string | number[]) => {
      const content = typeof value === "string" ? [...new TextEncoder().encode(value)] : value;
      return [0, 0, 0, 0, 0, 0, 0, content.length, ...content];
    };
    expect(bytes).toEqual([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      2,
      ...field("\uFFFD"),
      ...field([1]),
      ...field("\u{1F600}"),
      ...field("b"),
    ]);
  });
});
