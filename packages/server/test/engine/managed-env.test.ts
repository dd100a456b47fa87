import { parseDotenv, readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { mergeManagedEnv } from "../../src/engine/managed-env.js";

const keysOf = (text: string): string[] => parseDotenv(text).map((entry) => entry.key);

describe("mergeManagedEnv", () => {
  it("keeps foreign keys and comments, writes the values and lists them in IAC_MANAGED_KEYS", () => {
    const text = mergeManagedEnv("# ops\nTOKEN=abc\n", { ENV: "staging", DB: "app" }, null);
    expect(text.startsWith("# ops\nTOKEN=abc\n")).toBe(true);
    expect(keysOf(text)).toEqual(["TOKEN", "ENV", "DB", "IAC_MANAGED_KEYS"]);
    expect(parseDotenv(text).find((e) => e.key === "IAC_MANAGED_KEYS")?.value).toBe("DB,ENV");
  });

  it("removes keys listed as managed before that are no longer set", () => {
    const text = mergeManagedEnv("OLD=1\nKEEP=2\nIAC_MANAGED_KEYS=OLD\n", { ENV: "staging" }, null);
    expect(keysOf(text)).toEqual(["KEEP", "IAC_MANAGED_KEYS", "ENV"]);
  });

  it("clears a stored hash when none is given and records the given one", () => {
    const cleared = mergeManagedEnv("IAC_CONFIG_HASH=0123456789ab\n", { ENV: "x" }, null);
    expect(readStoredHash(cleared)).toBeNull();
    expect(readStoredHash(mergeManagedEnv(cleared, { ENV: "x" }, "v2:abc"))).toBe("v2:abc");
  });

  it("treats a compose without env (null) as empty", () => {
    expect(keysOf(mergeManagedEnv(null, { A: "1" }, "v2:h"))).toEqual(["A", "IAC_MANAGED_KEYS", "IAC_CONFIG_HASH"]);
  });
});
