import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DotenvEntry, parseDotenv, serializeDotenv } from "../src/index.js";

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
const tricky = fc.constantFrom(
  " ",
  "\t",
  "#",
  "'",
  '"',
  "`",
  "\\",
  "\n",
  "\r",
  "\r\n",
  "=",
  "$",
  "\\n",
  "export ",
  "\u00a0",
);
const value = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.array(fc.oneof(tricky, fc.string({ maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join("")),
);

const cases: Array<[string, { given: DotenvEntry[]; want: string }]> = [
  ["nothing", { given: [], want: "" }],
  ["a plain value bare", { given: [{ key: "A", value: "postgres://h/db?a=b" }], want: "A=postgres://h/db?a=b" }],
  ["an empty value bare", { given: [{ key: "A", value: "" }], want: "A=" }],
  ["inner blanks bare", { given: [{ key: "A", value: "two words" }], want: "A=two words" }],
  ["a # in single quotes", { given: [{ key: "A", value: "a#b" }], want: "A='a#b'" }],
  ["leading or trailing blanks in single quotes", { given: [{ key: "A", value: " x " }], want: "A=' x '" }],
  ["a leading quote in single quotes", { given: [{ key: "A", value: '"x"' }], want: "A='\"x\"'" }],
  [
    "a value with ' in backticks when quoting is needed",
    { given: [{ key: "A", value: "it's #1" }], want: "A=`it's #1`" },
  ],
  ["a ' that needs no quoting bare", { given: [{ key: "A", value: "it's" }], want: "A=it's" }],
  ["line breaks escaped in double quotes", { given: [{ key: "A", value: "l1\nl2\r" }], want: 'A="l1\\nl2\\r"' }],
  [
    "every other case in double quotes with escapes",
    { given: [{ key: "A", value: "'`\"\\ x" }], want: 'A="\'`\\"\\\\ x"' },
  ],
  [
    "several entries one per line",
    {
      given: [
        { key: "A", value: "1" },
        { key: "B", value: "2" },
      ],
      want: "A=1\nB=2",
    },
  ],
];

describe("serializeDotenv", () => {
  it.each(cases)("writes %s", (_name, { given, want }) => {
    expect(serializeDotenv(given)).toBe(want);
  });

  it("is read back to the same entries by parseDotenv", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key, value }), { maxLength: 6 }), (entries) => {
        expect(parseDotenv(serializeDotenv(entries))).toEqual(entries);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ["an empty key", "", "x", /invalid env key "": expected a name/],
    ["a key starting with a digit", "1A", "x", /invalid env key "1A"/],
    ["a key with a blank", "A B", "x", /invalid env key "A B"/],
    ["a key with =", "A=B", "x", /invalid env key "A=B"/],
    ["a value that is not a string", "A", 1, /invalid env value for A: expected a string, received number/],
  ])("throws a TypeError for %s", (_name, badKey, badValue, message) => {
    const entries = [{ key: badKey, value: badValue as string }];
    expect(() => serializeDotenv(entries)).toThrow(TypeError);
    expect(() => serializeDotenv(entries)).toThrow(message);
  });
});
