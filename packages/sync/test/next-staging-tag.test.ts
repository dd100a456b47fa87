import { describe, expect, it } from "vitest";
import { nextStagingTag } from "../src/index.js";

describe("nextStagingTag", () => {
  it.each([
    ["no tags", [], "v1.0.0"],
    ["only tags that are not releases", ["latest", "v1.2", "release-1", "v1.2.3-rc.1", "v01.2.3"], "v1.0.0"],
    ["one release", ["v1.2.3"], "v1.2.4"],
    ["releases in any order", ["v1.2.4", "v1.0.0", "v1.2.3"], "v1.2.5"],
    ["numeric, not text, comparison", ["v1.9.0", "v1.10.0", "v1.9.9"], "v1.10.1"],
    ["a higher patch on a lower minor", ["v1.3.0", "v1.2.99"], "v1.3.1"],
    ["a higher major", ["v2.0.0", "v1.99.99"], "v2.0.1"],
    ["a higher pre-release, which is ignored", ["v1.2.3", "v1.3.0-rc.1", "v9.0.0+build"], "v1.2.4"],
    ["a higher tag with leading zeros, which is ignored", ["v1.2.3", "v01.9.0", "v1.09.0"], "v1.2.4"],
    ["v0 releases", ["v0.1.0"], "v0.1.1"],
  ])("with %s returns the next patch", (_name, tags, want) => {
    expect(nextStagingTag(tags)).toBe(want);
  });
});
