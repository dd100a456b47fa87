import { describe, expect, it } from "vitest";
import { promoteTag } from "../src/index.js";

describe("promoteTag", () => {
  it.each([
    ["v1.2.4", ["v1.2.3", "v1.2.4"], "v1.3.0"],
    ["v1.9.7", ["v1.9.7", "v1.9.0"], "v1.10.0"],
    ["v0.0.1", ["v0.0.1"], "v0.1.0"],
    ["v1.2.3", ["v1.2.3", "v1.2.4", "v1.4.0"], "v1.3.0"],
  ])("promotes %s to the next minor", (staging, tags, want) => {
    expect(promoteTag(staging, tags)).toBe(want);
  });

  it.each([
    [
      "v1.2.3-rc.1",
      ["v1.2.3-rc.1"],
      TypeError,
      'invalid staging tag: expected vMAJOR.MINOR.PATCH such as "v1.2.4", received "v1.2.3-rc.1"',
    ],
    [
      "v01.2.3",
      ["v01.2.3"],
      TypeError,
      'invalid staging tag: expected vMAJOR.MINOR.PATCH such as "v1.2.4", received "v01.2.3"',
    ],
    [
      "--upload-pack=x",
      [],
      TypeError,
      'invalid staging tag: expected vMAJOR.MINOR.PATCH such as "v1.2.4", received "--upload-pack=x"',
    ],
    [
      "v1.2.4",
      ["v1.2.3"],
      Error,
      "cannot promote v1.2.4: expected an existing tag, received one not in the repository",
    ],
    ["v1.2.4", ["v1.2.4", "v1.3.0"], Error, "cannot promote v1.2.4: expected v1.3.0 to be free, but it exists already"],
  ])("refuses %s with tags %j", (staging, tags, type, message) => {
    expect(() => promoteTag(staging, tags)).toThrow(type);
    expect(() => promoteTag(staging, tags)).toThrow(`[@iac/sync] ${message}`);
  });
});
