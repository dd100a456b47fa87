import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareCodePoints } from "../src/compare-code-points.js";

describe("compareCodePoints", () => {
  it.each([
    ["a", "b", -1],
    ["b", "a", 1],
    ["a", "a", 0],
    ["a", "ab", -1],
    ["\uFFFD", "\u{1F600}", -1],
    ["\u{1F600}", "\uE000", 1],
    ["\u{1F600}", "\u{1F601}", -1],
    ["\uD7FF", "\u{10000}", -1],
  ])("orders %j against %j as %d", (a, b, want) => {
    expect(Math.sign(compareCodePoints(a, b))).toBe(want);
  });

  it("orders strings like their UTF-8 bytes", () => {
    const text = fc.string({ unit: "binary", maxLength: 6 });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      }),
    );
  });
});
