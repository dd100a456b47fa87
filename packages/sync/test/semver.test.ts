import { describe, expect, it } from "vitest";
import { parseVersionTag } from "../src/index.js";

describe("parseVersionTag", () => {
  it.each([
    ["v1.2.3", { major: 1, minor: 2, patch: 3 }],
    ["v0.0.0", { major: 0, minor: 0, patch: 0 }],
    ["v1.10.0", { major: 1, minor: 10, patch: 0 }],
    ["v9007199254740991.0.0", { major: 9007199254740991, minor: 0, patch: 0 }],
    ["v9007199254740992.0.0", null],
    ["1.2.3", null],
    ["V1.2.3", null],
    ["v1.2", null],
    ["v1.2.3.4", null],
    ["v01.2.3", null],
    ["v1.02.3", null],
    ["v1.2.03", null],
    ["v1.2.3-rc.1", null],
    ["v1.2.3+build.5", null],
    [" v1.2.3", null],
    ["v1.2.3\n", null],
    ["--force", null],
    ["", null],
  ])("parseVersionTag(%j) is %j", (tag, want) => {
    expect(parseVersionTag(tag)).toEqual(want);
  });
});
