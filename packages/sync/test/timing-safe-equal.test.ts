import { describe, expect, it } from "vitest";
import { timingSafeEqual } from "../src/timing-safe-equal.js";

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
