import { describe, expect, it } from "vitest";
import { diffConfigDigests } from "../src/diff-config-digests.js";
import type { ConfigDigestDiff, PlainConfigDigests } from "../src/types.js";

const BASE: PlainConfigDigests = {
  compose: "sha256:c1",
  files: { "p/a.sql": "sha256:a1", "p/b.conf": "sha256:b1" },
  env: { ENV: "sha256:e1", PORT: "sha256:p1" },
};

const cases: [string, { given: PlainConfigDigests; want: ConfigDigestDiff }][] = [
  ["nothing for identical inputs", { given: BASE, want: { compose: false, files: [], env: [] } }],
  ["a changed compose", { given: { ...BASE, compose: "sha256:c2" }, want: { compose: true, files: [], env: [] } }],
  [
    "added, removed and modified files, sorted by path",
    {
      given: { ...BASE, files: { "p/b.conf": "sha256:b2", "p/0.txt": "sha256:z", "p/c": "sha256:c" } },
      want: {
        compose: false,
        files: [
          { name: "p/0.txt", change: "added" },
          { name: "p/a.sql", change: "removed" },
          { name: "p/b.conf", change: "modified" },
          { name: "p/c", change: "added" },
        ],
        env: [],
      },
    },
  ],
  [
    "added, removed and modified env keys",
    {
      given: { ...BASE, env: { ENV: "sha256:e2", DEBUG: "sha256:d" } },
      want: {
        compose: false,
        files: [],
        env: [
          { name: "DEBUG", change: "added" },
          { name: "ENV", change: "modified" },
          { name: "PORT", change: "removed" },
        ],
      },
    },
  ],
  [
    "keys named like Object.prototype members as ordinary keys",
    {
      given: { ...BASE, env: { ...BASE.env, constructor: "sha256:x" } },
      want: { compose: false, files: [], env: [{ name: "constructor", change: "added" }] },
    },
  ],
];

describe("diffConfigDigests", () => {
  it.each(cases)("reports %s", (_name, { given, want }) => {
    expect(diffConfigDigests(BASE, given)).toEqual(want);
  });
});
