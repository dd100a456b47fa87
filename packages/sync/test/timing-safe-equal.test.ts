import { describe, expect, it } from "vitest";
import { timingSafeEqual, timingSafeEqualText } from "../src/timing-safe-equal.js";

describe("timingSafeEqual()", () => {
  it.each([
    ["equal bytes", [1, 2, 3], [1, 2, 3], true],
    ["two empty arrays", [], [], true],
    ["a difference in the first byte", [0, 2, 3], [1, 2, 3], false],
    ["a difference in the last byte", [1, 2, 3], [1, 2, 4], false],
    ["a single flipped high bit", [0x80], [0x00], false],
    ["different lengths", [1, 2], [1, 2, 3], false],
  ])("returns the right answer for %s", (_case, a, b, want) => {
    expect(timingSafeEqual(Uint8Array.from(a), Uint8Array.from(b))).toBe(want);
  });
});

describe("timingSafeEqualText()", () => {
  it.each([
    ["equal text", "abc", "abc", true],
    ["two empty strings", "", "", true],
    ["a difference in the first unit", "xbc", "abc", false],
    ["a difference in the last unit", "abc", "abd", false],
    ["a difference of case", "ABC", "abc", false],
    ["a difference in a high bit", "\u0100", "\u0000", false],
    ["different lengths", "ab", "abc", false],
  ])("returns the right answer for %s", (_case, a, b, want) => {
    expect(timingSafeEqualText(a, b)).toBe(want);
  });
});
