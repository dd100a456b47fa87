import { describe, expect, it } from "vitest";
import { createGlobIndex } from "../src/create-glob-index.js";

describe("createGlobIndex", () => {
  const index = createGlobIndex([
    { glob: "libs/**", value: "libs" },
    { glob: "libs/py/*.py", value: "python" },
    { glob: "**/*.md", value: "markdown" },
    { glob: "{a,b}/x", value: "braces" },
    { glob: "platform/01.pg/../shared/pg/**", value: "dotted" },
    { glob: "README", value: "root file" },
  ]);

  it.each([
    ["libs/py/util.py", ["libs", "python"]],
    ["libs/deep/x/y.txt", ["libs"]],
    ["libs/py/notes.md", ["markdown", "libs"]],
    ["README.md", ["markdown"]],
    ["README", ["root file"]],
    ["b/x", ["braces"]],
    ["c/x", []],
    ["platform/01.pg/x", []],
  ])("match(%j) returns the values of every matching glob", (path, want) => {
    expect(index.match(path).sort()).toEqual([...want].sort());
  });

  it("matches nothing when it holds no globs", () => {
    expect(createGlobIndex([]).match("a/b")).toEqual([]);
  });
});
