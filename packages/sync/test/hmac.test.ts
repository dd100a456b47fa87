import { bytesToHex } from "@noble/hashes/utils.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hmacSha256, hmacSha256Verify } from "../src/hmac.js";

const encode = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);
const hexOf = async (secret: string, text: string): Promise<string> =>
  bytesToHex(await hmacSha256(secret, encode(text)));

describe("hmac backends", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  const withoutBuiltinModule = (): void => {
    vi.spyOn(process, "getBuiltinModule").mockReturnValue(undefined as never);
  };

  it("uses the runtime's built-in crypto module, synchronously, where there is one", async () => {
    const subtleSign = vi.spyOn(crypto.subtle, "sign");
    const subtleVerify = vi.spyOn(crypto.subtle, "verify");
    const hex = await hexOf("native-path", "body");
    // The answer itself, not a promise of it.
    expect(hmacSha256Verify(["other", "native-path"], encode("body"), hex)).toBe(true);
    expect(hmacSha256Verify(["other"], encode("body"), hex)).toBe(false);
    expect(hmacSha256Verify(["native-path"], encode("body!"), hex)).toBe(false);
    expect(subtleSign).not.toHaveBeenCalled();
    expect(subtleVerify).not.toHaveBeenCalled();
  });

  it("looks the built-in module up once, and again only when the lookup function is replaced", async () => {
    const hex = await hexOf("lookup", "body");
    const lookup = vi.spyOn(process, "getBuiltinModule");
    for (let round = 0; round < 3; round += 1) {
      expect(hmacSha256Verify(["lookup"], encode("body"), hex)).toBe(true);
    }
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith("node:crypto");
    vi.restoreAllMocks();
    withoutBuiltinModule();
    // Without it, the answer comes from WebCrypto, as a promise.
    const answer = hmacSha256Verify(["lookup"], encode("body"), hex);
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe(true);
  });

  it("passes over a built-in module without createHmac", async () => {
    const hex = await hexOf("no-hmac", "body");
    vi.spyOn(process, "getBuiltinModule").mockReturnValue({} as never);
    const answer = hmacSha256Verify(["no-hmac"], encode("body"), hex);
    expect(answer).toBeInstanceOf(Promise);
    expect(await answer).toBe(true);
  });

  it("verifies through crypto.subtle.verify when only WebCrypto exists", async () => {
    withoutBuiltinModule();
    const verifySpy = vi.spyOn(crypto.subtle, "verify");
    const hex = await hexOf("subtle-path", "body");
    expect(await hmacSha256Verify(["subtle-path"], encode("body"), hex)).toBe(true);
    expect(await hmacSha256Verify(["subtle-path"], encode("other body"), hex)).toBe(false);
    expect(verifySpy).toHaveBeenCalledTimes(2);
  });

  it("imports the key of a secret once and reuses it", async () => {
    withoutBuiltinModule();
    const importSpy = vi.spyOn(crypto.subtle, "importKey");
    const hex = await hexOf("cached-secret", "a");
    await hmacSha256Verify(["cached-secret"], encode("a"), hex);
    await hmacSha256Verify(["cached-secret"], encode("b"), hex);
    expect(importSpy).toHaveBeenCalledTimes(1);
  });

  it("keeps working after more secrets than the key cache holds", async () => {
    withoutBuiltinModule();
    const secrets = Array.from({ length: 40 }, (_, index) => `rotating-${index}`);
    const hexes = await Promise.all(secrets.map((secret) => hexOf(secret, "payload")));
    for (const [index, secret] of secrets.entries()) {
      expect(await hmacSha256Verify([secret], encode("payload"), hexes[index] as string)).toBe(true);
    }
  });

  it("computes the same MAC on every backend", async () => {
    const viaNative = await hmacSha256("same", encode("same body"));
    withoutBuiltinModule();
    const viaSubtle = await hmacSha256("same", encode("same body"));
    vi.stubGlobal("crypto", undefined);
    expect(globalThis.crypto).toBeUndefined();
    const viaNoble = await hmacSha256("same", encode("same body"));
    expect(new Uint8Array(viaNative)).toEqual(new Uint8Array(viaSubtle));
    expect(viaNoble).toEqual(new Uint8Array(viaSubtle));
    const hex = bytesToHex(viaNoble);
    expect(await hmacSha256Verify(["other", "same"], encode("same body"), hex)).toBe(true);
    expect(await hmacSha256Verify(["other"], encode("same body"), hex)).toBe(false);
  });
});
