import { describe, expect, it } from "vitest";
import { sign, verifyWithFallback } from "../src/index.js";
import { cryptoBackends, useCryptoBackend } from "./crypto-backends.js";

const BODY = '{"ref":"refs/heads/main"}';

describe.each(cryptoBackends)("verifyWithFallback() with %s", (backend) => {
  useCryptoBackend(backend);

  it.each([
    ["the current secret", "current", true],
    ["the previous secret", "previous", true],
    ["the oldest additional secret", "oldest", true],
    ["an unknown secret", "unknown", false],
  ])("returns the right answer for a signature made with %s", async (_case, signer, want) => {
    const signature = await sign(signer, BODY);
    expect(await verifyWithFallback("current", BODY, signature, ["previous", "oldest"])).toBe(want);
  });

  it("behaves like verify() when there are no additional secrets", async () => {
    expect(await verifyWithFallback("current", BODY, await sign("current", BODY), [])).toBe(true);
    expect(await verifyWithFallback("current", BODY, await sign("previous", BODY), [])).toBe(false);
  });

  it.each([
    ["undefined", undefined],
    ["a malformed string", "sha256=nothex"],
    ["a number", 7],
  ])("returns false without throwing for a %s signature", async (_case, signature) => {
    await expect(verifyWithFallback("current", BODY, signature, ["previous"])).resolves.toBe(false);
  });
});

describe("verifyWithFallback() argument checks", () => {
  it.each([
    [
      "additionalSecrets that is not an array",
      "previous",
      /additionalSecrets must be an array of strings, received "previous"/,
    ],
    ["an empty additional secret", ["previous", ""], /additionalSecrets\[1\] must be a non-empty string, received ""/],
    ["a non-string additional secret", [null], /additionalSecrets\[0\] must be a non-empty string, received null/],
  ])("rejects %s with a TypeError", async (_case, additional, message) => {
    // @ts-expect-error: deliberately invalid arguments
    const result = verifyWithFallback("current", BODY, "sha256=00", additional);
    await expect(result).rejects.toThrow(TypeError);
    await expect(result).rejects.toThrow(message);
  });
});
