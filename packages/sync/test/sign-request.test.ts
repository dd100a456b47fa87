import { createHmac } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { signRequest } from "../src/index.js";
import { cryptoBackends, useCryptoBackend } from "./crypto-backends.js";

const BODY = '{"env":"staging","tag":"v1.2.4"}';

describe.each(cryptoBackends)("signRequest() with %s", (backend) => {
  useCryptoBackend(backend);

  it("signs <timestamp>.<nonce>.<body> and returns the three headers", async () => {
    const headers = await signRequest({ secret: "s3cret", body: BODY, timestamp: 1_700_000_000, nonce: "nonce-0001" });
    const mac = createHmac("sha256", "s3cret").update(`1700000000.nonce-0001.${BODY}`).digest("hex");
    expect(headers).toEqual({
      "x-hub-signature-256": `sha256=${mac}`,
      "x-iac-timestamp": "1700000000",
      "x-iac-nonce": "nonce-0001",
    });
  });

  it("signs a Uint8Array body like the same string", async () => {
    const options = { secret: "s3cret", timestamp: 1, nonce: "abcdefgh" };
    const fromBytes = await signRequest({ ...options, body: new TextEncoder().encode("é body") });
    expect(fromBytes).toEqual(await signRequest({ ...options, body: "é body" }));
  });
});

describe("signRequest() defaults", () => {
  it("uses the current unix time in seconds", async () => {
    vi.useFakeTimers({ now: 1_700_000_123_999 });
    try {
      const headers = await signRequest({ secret: "s", body: "" });
      expect(headers["x-iac-timestamp"]).toBe("1700000123");
    } finally {
      vi.useRealTimers();
    }
  });

  it("makes a fresh random nonce of 32 hex characters for every request", async () => {
    const first = await signRequest({ secret: "s", body: "", timestamp: 1 });
    const second = await signRequest({ secret: "s", body: "", timestamp: 1 });
    expect(first["x-iac-nonce"]).toMatch(/^[0-9a-f]{32}$/);
    expect(second["x-iac-nonce"]).not.toBe(first["x-iac-nonce"]);
  });

  it("asks for an explicit nonce when crypto.getRandomValues is missing", async () => {
    vi.stubGlobal("crypto", undefined);
    try {
      await expect(signRequest({ secret: "s", body: "" })).rejects.toThrow(/pass nonce explicitly/);
      await expect(signRequest({ secret: "s", body: "", nonce: "explicit-nonce" })).resolves.toMatchObject({
        "x-iac-nonce": "explicit-nonce",
      });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe("signRequest() argument checks", () => {
  it.each([
    ["an empty secret", { secret: "", body: "" }, /secret must be a non-empty string, received ""/],
    ["a missing body", { secret: "s" }, /body must be a string or a Uint8Array, received undefined/],
    ["a fractional timestamp", { secret: "s", body: "", timestamp: 1.5 }, /timestamp must be .*received 1\.5/],
    ["a negative timestamp", { secret: "s", body: "", timestamp: -1 }, /timestamp must be .*received -1/],
    ["a NaN timestamp", { secret: "s", body: "", timestamp: Number.NaN }, /timestamp must be .*received NaN/],
    ["a string timestamp", { secret: "s", body: "", timestamp: "1" }, /timestamp must be .*received "1"/],
    ["a short nonce", { secret: "s", body: "", nonce: "short" }, /nonce must be 8 to 128 .*received "short"/],
    ["a nonce with a space", { secret: "s", body: "", nonce: "has a space" }, /nonce must be .*received "has a space"/],
    ["a nonce of 129 characters", { secret: "s", body: "", nonce: "n".repeat(129) }, /nonce must be 8 to 128/],
    ["an empty nonce", { secret: "s", body: "", nonce: "" }, /nonce must be .*received ""/],
  ])("rejects %s with a TypeError", async (_case, options, message) => {
    // @ts-expect-error: deliberately invalid options
    const result = signRequest(options);
    await expect(result).rejects.toThrow(TypeError);
    await expect(result).rejects.toThrow(message);
  });

  it.each([
    ["8 characters", "abcdefgh"],
    ["128 characters", "n".repeat(128)],
    ["every allowed symbol", "Az09._:-"],
  ])("accepts a nonce of %s", async (_case, nonce) => {
    await expect(signRequest({ secret: "s", body: "", timestamp: 0, nonce })).resolves.toMatchObject({
      "x-iac-nonce": nonce,
    });
  });
});
