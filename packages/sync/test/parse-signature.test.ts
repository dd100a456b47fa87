import { describe, expect, it } from "vitest";
import { parseSignature } from "../src/parse-signature.js";

const hexOf = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

describe("parseSignature()", () => {
  // Every byte value appears once across the eight MACs, so every pair of hex digits is decoded.
  const macs = Array.from({ length: 8 }, (_, mac) => Uint8Array.from({ length: 32 }, (_, at) => mac * 32 + at));

  it.each(["lower", "upper"] as const)("reads every byte value written in %s-case hex, lower-cased", (letterCase) => {
    for (const mac of macs) {
      const hex = letterCase === "lower" ? hexOf(mac) : hexOf(mac).toUpperCase();
      expect(parseSignature(`sha256=${hex}`)).toBe(hexOf(mac));
    }
  });

  it("reads mixed case", () => {
    expect(parseSignature(`sha256=${"aB".repeat(32)}`)).toBe("ab".repeat(32));
  });

  it.each([
    ["a non-hex digit", `sha256=${"g".repeat(64)}`],
    ["one digit too few", `sha256=${"a".repeat(63)}`],
    ["one digit too many", `sha256=${"a".repeat(65)}`],
    ["another algorithm", `sha1=${"a".repeat(64)}`],
    ["text before the prefix", `xsha256=${"a".repeat(64)}`],
    ["a number", 42],
  ])("refuses %s", (_case, value) => {
    expect(parseSignature(value)).toBeNull();
  });
});
