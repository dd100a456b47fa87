import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toBytes } from "../src/to-bytes.js";

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

describe("toBytes()", () => {
  it.each([
    ["an empty string", ""],
    ["ASCII", '{"ref":"refs/heads/main"}'],
    ["two-byte characters at the end", `${"x".repeat(50)}é`],
    ["three-byte characters at the start", `✓${"x".repeat(50)}`],
    ["a surrogate pair where the first buffer ends", `${"x".repeat(9)}🚀`],
    ["only non-ASCII", "🚀🚀✓é"],
    ["a lone surrogate", "a\uD800b"],
  ])("encodes %s like TextEncoder", (_case, text) => {
    expect(toBytes(text)).toEqual(encode(text));
  });

  it("encodes any string like TextEncoder (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), (a, b) => {
        expect(toBytes(a + b)).toEqual(encode(a + b));
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ["a string", "body é"],
    ["bytes", encode("body é")],
  ])("prepends the prefix to %s", (_case, payload) => {
    expect(toBytes(payload, "17.nonce-1.")).toEqual(encode("17.nonce-1.body é"));
  });

  it("returns a Uint8Array payload without copying it", () => {
    const bytes = encode("same");
    expect(toBytes(bytes)).toBe(bytes);
  });

  it("copies a payload that views a SharedArrayBuffer", () => {
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set([1, 2, 3]);
    const bytes = toBytes(shared);
    expect(bytes.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...bytes]).toEqual([1, 2, 3]);
  });
});
