import { describe, expect, test } from "vitest";
import { decodePageCursor } from "../../src/store/decode-page-cursor.js";
import { encodePageCursor } from "../../src/store/encode-page-cursor.js";

describe("encodePageCursor and decodePageCursor", () => {
  test.each([1, 42, 9_007_199_254_740_991])("round-trip seq %i", (seq) => {
    const cursor = encodePageCursor(seq);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageCursor(cursor)).toBe(seq);
  });

  const malformed: [string, string][] = [
    ["empty", ""],
    ["not base64url", "%%%"],
    ["zero", encodePageCursor(0)],
    ["negative", Buffer.from("-1").toString("base64url")],
    ["leading zero", Buffer.from("012").toString("base64url")],
    ["trailing text", Buffer.from("12abc").toString("base64url")],
    ["beyond safe integers", Buffer.from("9007199254740993").toString("base64url")],
    ["stray characters Node would skip", `${encodePageCursor(12)}!`],
  ];
  test.each(malformed)("decodePageCursor rejects a %s cursor with a TypeError", (_, cursor) => {
    expect(() => decodePageCursor(cursor)).toThrow(TypeError);
    expect(() => decodePageCursor(cursor)).toThrow(
      `[@iac/server] invalid cursor: expected the nextCursor of a previous page, received ${JSON.stringify(cursor)}`,
    );
  });
});
