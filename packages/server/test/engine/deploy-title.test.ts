import { describe, expect, it } from "vitest";
import { deployedCommitPrefix, deployTitle } from "../../src/engine/deploy-title.js";

const COMMIT = "0123456789ABCDEF0123456789abcdef01234567";

describe("deployTitle", () => {
  it("names the first 12 hex digits of the commit, in lower case", () => {
    expect(deployTitle(COMMIT)).toBe("iac-runner 0123456789ab");
  });

  it.each([
    ["a title of the runner", "iac-runner 0123456789ab", "0123456789ab"],
    ["a title made by hand", "Manual deployment", null],
    ["a title with more after the commit", "iac-runner 0123456789ab (retry)", null],
    ["a title with a short commit", "iac-runner 0123456789", null],
    ["a title in upper case", "iac-runner 0123456789AB", null],
  ])("reads the commit back from %s", (_name, title, want) => {
    expect(deployedCommitPrefix(title)).toBe(want);
  });

  it("reads back what it writes", () => {
    expect(deployedCommitPrefix(deployTitle(COMMIT))).toBe(COMMIT.slice(0, 12).toLowerCase());
  });
});
