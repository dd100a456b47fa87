import { describe, expect, it } from "vitest";
import { CONFIG_HASH_KEY, readStoredHash } from "../src/index.js";

describe("readStoredHash", () => {
  it("stores the hash under IAC_CONFIG_HASH", () => {
    expect(CONFIG_HASH_KEY).toBe("IAC_CONFIG_HASH");
  });

  it.each([
    ["a legacy hash", "ENV=staging\nIAC_CONFIG_HASH=0123456789ab", "0123456789ab"],
    ["a quoted hash with a comment", 'IAC_CONFIG_HASH="v2:ab" # managed\n', "v2:ab"],
    ["the last of duplicate assignments, the one in effect", "IAC_CONFIG_HASH=a\nIAC_CONFIG_HASH=b", "b"],
    ["null without an assignment", "ENV=staging\n# IAC_CONFIG_HASH=0123456789ab", null],
    ["null for an empty value", "IAC_CONFIG_HASH=", null],
    ["null for an empty text", "", null],
    ["null for a null env", null, null],
    ["null for a similar key", "IAC_CONFIG_HASH_OLD=x\niac_config_hash=y", null],
  ])("reads %s", (_name, given, want) => {
    expect(readStoredHash(given)).toBe(want);
  });
});
