import { describe, expect, it } from "vitest";
import { type DotenvEntry, parseDotenv } from "../src/index.js";

const cases: Array<[string, { given: string; want: DotenvEntry[] }]> = [
  ["an empty text", { given: "", want: [] }],
  [
    "plain assignments",
    {
      given: "A=1\nB=two words",
      want: [
        { key: "A", value: "1" },
        { key: "B", value: "two words" },
      ],
    },
  ],
  ["an export prefix", { given: "export A=1", want: [{ key: "A", value: "1" }] }],
  ["blanks around key, = and value", { given: "  A =  1  ", want: [{ key: "A", value: "1" }] }],
  [
    "an empty value",
    {
      given: "A=\nB=",
      want: [
        { key: "A", value: "" },
        { key: "B", value: "" },
      ],
    },
  ],
  ["= inside a value", { given: "URL=postgres://h/db?a=b", want: [{ key: "URL", value: "postgres://h/db?a=b" }] }],
  ["keys with dots and dashes", { given: "a.b-c_D=1", want: [{ key: "a.b-c_D", value: "1" }] }],
  ["full-line comments and blank lines", { given: "# A=1\n\n  # B=2\nC=3\n", want: [{ key: "C", value: "3" }] }],
  ["an inline comment after a blank", { given: "A=1 # note", want: [{ key: "A", value: "1" }] }],
  [
    "a # without a blank before it, which ends the value as in dotenv",
    { given: "A=b#c", want: [{ key: "A", value: "b" }] },
  ],
  [
    "CRLF line breaks",
    {
      given: "A=1\r\nB=2\r\n",
      want: [
        { key: "A", value: "1" },
        { key: "B", value: "2" },
      ],
    },
  ],
  [
    "CR line breaks",
    {
      given: "A=1\rB=2",
      want: [
        { key: "A", value: "1" },
        { key: "B", value: "2" },
      ],
    },
  ],
  ["single quotes, taken literally", { given: "A='a #b \\n \"c\"'", want: [{ key: "A", value: 'a #b \\n "c"' }] }],
  ["backticks, taken literally", { given: 'A=`it\'s "x"`', want: [{ key: "A", value: 'it\'s "x"' }] }],
  [
    "double quotes with escapes",
    { given: 'A="l1\\nl2\\r \\"q\\" \\\\ \\t"', want: [{ key: "A", value: 'l1\nl2\r "q" \\ \\t' }] },
  ],
  ["leading and trailing blanks kept inside quotes", { given: "A='  x  '", want: [{ key: "A", value: "  x  " }] }],
  [
    "a comment after a closing quote",
    {
      given: "A=\"x\" # note\nB='y'#n",
      want: [
        { key: "A", value: "x" },
        { key: "B", value: "y" },
      ],
    },
  ],
  [
    "a quoted value over several lines",
    {
      given: "A=\"l1\r\nl2\"\nB='m1\nm2'\nC=3",
      want: [
        { key: "A", value: "l1\nl2" },
        { key: "B", value: "m1\nm2" },
        { key: "C", value: "3" },
      ],
    },
  ],
  [
    "an unclosed quote, read as an unquoted value",
    {
      given: 'A="abc\nB=2',
      want: [
        { key: "A", value: '"abc' },
        { key: "B", value: "2" },
      ],
    },
  ],
  ["text after a closing quote, read as an unquoted value", { given: "A='x'y", want: [{ key: "A", value: "'x'y" }] }],
  ["an escaped quote inside double quotes", { given: 'A="a\\"b"', want: [{ key: "A", value: 'a"b' }] }],
  [
    "duplicate keys, all kept in order",
    {
      given: "A=1\nA=2",
      want: [
        { key: "A", value: "1" },
        { key: "A", value: "2" },
      ],
    },
  ],
  ["lines that assign nothing", { given: "just text\n=1\nA B=2\n-x", want: [] }],
];

describe("parseDotenv", () => {
  it.each(cases)("reads %s", (_name, { given, want }) => {
    expect(parseDotenv(given)).toEqual(want);
  });
});
