import { createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sign } from "../src/index.js";
import { cryptoBackends, useCryptoBackend } from "./crypto-backends.js";

const GITHUB_SECRET = "It's a Secret to Everybody";

describe.each(cryptoBackends)("sign() with %s", (backend) => {
  useCryptoBackend(backend);

  it("produces GitHub's documented test vector", async () => {
    expect(await sign(GITHUB_SECRET, "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });

  it.each([
    ["an empty payload", ""],
    ["a multi-byte UTF-8 payload", '{"message":"déploiement ✓ 🚀"}'],
    ["a long payload", "x".repeat(100_000)],
  ])("matches node:crypto for %s", async (_case, payload) => {
    const expected = `sha256=${createHmac("sha256", "s3cret").update(payload, "utf8").digest("hex")}`;
    expect(await sign("s3cret", payload)).toBe(expected);
  });

  it("signs a Uint8Array payload as its raw bytes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.uint8Array(), async (secret, bytes) => {
        const expected = `sha256=${createHmac("sha256", secret).update(bytes).digest("hex")}`;
        expect(await sign(secret, bytes)).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });
});

describe("sign() argument checks", () => {
  it.each([
    ["an empty secret", "", "x", /secret must be a non-empty string, received ""/],
    ["a missing secret", undefined, "x", /secret must be a non-empty string, received undefined/],
    ["a missing payload", "s", undefined, /payload must be a string or a Uint8Array, received undefined/],
    ["a number payload", "s", 42, /payload must be a string or a Uint8Array, received number/],
  ])("rejects %s with a TypeError", async (_case, secret, payload, message) => {
    // @ts-expect-error: deliberately invalid arguments
    const result = sign(secret, payload);
    await expect(result).rejects.toThrow(TypeError);
    await expect(result).rejects.toThrow(message);
    await expect(result).rejects.toThrow(/^\[@iac\/sync\] /);
  });
});
