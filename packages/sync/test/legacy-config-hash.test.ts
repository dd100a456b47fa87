import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isLegacyHash, legacyConfigHash } from "../src/index.js";

// The original runner's recipe, written out with node:crypto: keys sorted by their UTF-8 bytes (which is code-point
// order, as Python's sorted()), empty values dropped.
function recipe(compose: string, env: Record<string, string | undefined>): string {
  const lines = Object.entries(env)
    .filter(([, value]) => value)
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
  return createHash("sha256").update(`${compose}\n---ENV---\n${lines}`, "utf8").digest("hex").slice(0, 12);
}

const compose = "services:\n  postgres:\n    image: postgres:16\n    env_file: .env\n";

describe("legacyConfigHash", () => {
  const cases: Array<[string, Record<string, string | undefined>]> = [
    ["no env", {}],
    ["env in any order", { ENV: "staging", DATA_PATH: "/data", ENV_DOMAIN_SUFFIX: "-staging" }],
    ["empty and undefined values", { ENV: "production", ENV_DOMAIN_SUFFIX: "", UNSET: undefined }],
    ["values containing = and newlines", { URL: "postgres://u:p@h/db?sslmode=require", PEM: "a\nb" }],
    ["astral keys, which UTF-16 sorts before U+E000–U+FFFF", { "\u{1F600}": "emoji", "\uFFFD": "replacement", A: "1" }],
  ];

  it.each(cases)("follows the original recipe for %s", (_name, env) => {
    expect(legacyConfigHash(compose, env)).toBe(recipe(compose, env));
  });

  it("matches a hash stored by the original runner", () => {
    // Computed by the original runner's Python code for this compose text and env.
    const env = { ENV: "staging", "\u{1F600}K": "x", "\uFFFDK": "y", EMPTY: "", é: "1" };
    expect(legacyConfigHash("services:\n  a: {}\n", env)).toBe("734ba14c60ae");
  });

  it("follows the original recipe for any env", () => {
    const text = fc.string({ unit: "binary", maxLength: 10 });
    fc.assert(
      fc.property(text, fc.dictionary(text, fc.option(text, { nil: undefined })), (composeText, env) => {
        expect(legacyConfigHash(composeText, env)).toBe(recipe(composeText, env));
      }),
    );
  });

  it("sorts astral keys in code-point order, unlike Array.prototype.sort", () => {
    const env = { "\u{1F600}": "1", "\uFFFD": "2" };
    const utf16Order = createHash("sha256")
      .update(`${compose}\n---ENV---\n\u{1F600}=1\n\uFFFD=2`)
      .digest("hex")
      .slice(0, 12);
    expect(legacyConfigHash(compose, env)).not.toBe(utf16Order);
  });
});

describe("isLegacyHash", () => {
  it.each([
    ["0123456789ab", true],
    ["0123456789AB", false],
    ["0123456789a", false],
    ["0123456789abc", false],
    [`v2:${"0".repeat(64)}`, false],
    [undefined, false],
  ])("isLegacyHash(%j) is %s", (value, want) => {
    expect(isLegacyHash(value)).toBe(want);
  });
});
