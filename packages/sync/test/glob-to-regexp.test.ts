import { describe, expect, it } from "vitest";
import { globToRegExp } from "../src/glob-to-regexp.js";

const cases: [string, { glob: string; path: string; want: boolean }][] = [
  ["** at the end matches files at any depth", { glob: "libs/**", path: "libs/a/b/c.py", want: true }],
  ["** at the end does not match the folder itself", { glob: "libs/**", path: "libs", want: false }],
  ["** at the start matches zero segments", { glob: "**/compose.yaml", path: "compose.yaml", want: true }],
  ["** at the start matches many segments", { glob: "**/compose.yaml", path: "a/b/compose.yaml", want: true }],
  ["** in the middle matches zero segments", { glob: "a/**/b", path: "a/b", want: true }],
  ["** in the middle matches many segments", { glob: "a/**/b", path: "a/x/y/b", want: true }],
  ["** alone matches everything", { glob: "**", path: "x/y/z", want: true }],
  ["* stays inside one segment", { glob: "*.md", path: "docs/a.md", want: false }],
  ["* matches within a segment", { glob: "platform/*/compose.yaml", path: "platform/01.pg/compose.yaml", want: true }],
  ["* matches dotfiles", { glob: "a/*", path: "a/.env", want: true }],
  ["? matches one character", { glob: "v?.txt", path: "v1.txt", want: true }],
  ["? does not match a slash", { glob: "a?b", path: "a/b", want: false }],
  ["braces match the first alternative", { glob: "compose.{yaml,yml}", path: "compose.yaml", want: true }],
  ["braces match the second alternative", { glob: "compose.{yaml,yml}", path: "compose.yml", want: true }],
  ["braces match nothing else", { glob: "compose.{yaml,yml}", path: "compose.json", want: false }],
  ["braces nest and hold globs", { glob: "{a,b/{c,**}}/x", path: "b/q/r/x", want: true }],
  ["a comma outside braces is literal", { glob: "a,b", path: "a,b", want: true }],
  ["a comma outside braces is no alternative", { glob: "a,b", path: "b", want: false }],
  ["** right after an opening brace is a whole segment", { glob: "x/{**,b}/y", path: "x/p/q/y", want: true }],
  ["** right after a comma in braces is a whole segment", { glob: "x/{a,**}/y", path: "x/p/q/y", want: true }],
  ["** right before a closing brace is a whole segment", { glob: "x/{a,**}", path: "x/p/q", want: true }],
  ["** before a comma in braces is a whole segment", { glob: "x/{**,a}", path: "x/p/q", want: true }],
  ["letters that are regexp escapes are literal", { glob: "d/w/s/b", path: "d/w/s/b", want: true }],
  ["regexp characters are literal", { glob: "a+^$.txt", path: "a+^$.txt", want: true }],
  ["escaped classes, groups and bars are literal", { glob: "\\[a\\]\\(b\\|c\\)", path: "[a](b|c)", want: true }],
  ["an escaped leading ! is literal", { glob: "\\!x", path: "!x", want: true }],
  ["a ! after the start is literal", { glob: "a!b", path: "a!b", want: true }],
  [
    "@ and + without a group are literal",
    { glob: "node_modules/@scope/a+b", path: "node_modules/@scope/a+b", want: true },
  ],
  ["a dot is not a wildcard", { glob: "a.txt", path: "abtxt", want: false }],
  ["a backslash escapes a wildcard", { glob: "a\\*", path: "a*", want: true }],
  ["an escaped wildcard matches only itself", { glob: "a\\*", path: "ab", want: false }],
  ["matching is anchored at both ends", { glob: "libs", path: "x/libs/y", want: false }],
];

/** What `globToRegExp` throws for `glob`: an Error (a test of the message alone would pass for a thrown undefined). */
function errorOf(glob: string): Error {
  try {
    globToRegExp(glob);
  } catch (error) {
    if (error instanceof Error) {
      return error;
    }
    throw new Error(`globToRegExp threw ${String(error)}, not an Error`);
  }
  throw new Error(`globToRegExp accepted ${JSON.stringify(glob)}`);
}

describe("globToRegExp", () => {
  it.each(cases)("%s", (_name, { glob, path, want }) => {
    expect(globToRegExp(glob).test(path)).toBe(want);
  });

  it.each([
    ["", "expected a non-empty string"],
    ["a/{b,c", 'expected "}" to close "{"'],
    ["a}", 'expected "{" before "}"'],
    ["a\\", 'expected a character after "\\"'],
  ])("throws on the invalid glob %j", (glob, message) => {
    expect(errorOf(glob).message).toContain(message);
  });

  const FOREIGN = '(character classes, extglobs and "|" alternatives) is not supported; use {a,b} for alternatives';
  it.each([
    ["platform/[ab]/**", `invalid glob "platform/[ab]/**": "[" ${FOREIGN}, or write "\\[" for a literal "["`],
    ["[!a]*", `invalid glob "[!a]*": "[" ${FOREIGN}, or write "\\[" for a literal "["`],
    ["a]", `invalid glob "a]": "]" ${FOREIGN}, or write "\\]" for a literal "]"`],
    ["libs/@(a|b)/**", `invalid glob "libs/@(a|b)/**": "(" ${FOREIGN}, or write "\\(" for a literal "("`],
    ["+(x)", `invalid glob "+(x)": "(" ${FOREIGN}, or write "\\(" for a literal "("`],
    ["a/!(x)", `invalid glob "a/!(x)": "(" ${FOREIGN}, or write "\\(" for a literal "("`],
    ["*(x)", `invalid glob "*(x)": "(" ${FOREIGN}, or write "\\(" for a literal "("`],
    ["?(x)", `invalid glob "?(x)": "(" ${FOREIGN}, or write "\\(" for a literal "("`],
    ["a)", `invalid glob "a)": ")" ${FOREIGN}, or write "\\)" for a literal ")"`],
    ["a|b", `invalid glob "a|b": "|" ${FOREIGN}, or write "\\|" for a literal "|"`],
    ["\\\\[a]", `invalid glob ${JSON.stringify("\\\\[a]")}: "[" ${FOREIGN}, or write "\\[" for a literal "["`],
    [
      "!libs/**",
      'invalid glob "!libs/**": a leading "!" (negation) is not supported; list only the paths to include, or write "\\!" for a literal "!"',
    ],
    [
      "src/**.ts",
      'invalid glob "src/**.ts": "**" inside a segment is not supported; write ** as a whole segment (a/**/b, a/**) for any depth, or * for one segment',
    ],
    ["a/b**", 'invalid glob "a/b**": "**" inside a segment is not supported'],
    ["a/***/b", 'invalid glob "a/***/b": "***" inside a segment is not supported'],
  ])("refuses %j, which other glob dialects read as a pattern", (glob, message) => {
    expect(errorOf(glob).message).toContain(`[@iac/sync] ${message}`);
  });

  it.each(["a,**", "a{b}**", "{a}**/b", "**,a", "**{a,b}"])(
    "refuses %j: outside braces, a comma or brace does not end a segment beside **",
    (glob) => {
      expect(errorOf(glob).message).toContain("inside a segment is not supported");
    },
  );
});
