import { afterEach, describe, expect, it, vi } from "vitest";
import { hmacSha256, hmacSha256Verify } from "../src/hmac.js";

const encode = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

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
    const mac = await hmacSha256("native-path", encode("body"));
    // The answer itself, not a promise of it.
    expect(hmacSha256Verify(["other", "native-path"], encode("body"), new Uint8Array(mac))).toBe(true);
    expect(hmacSha256Verify(["other"], encode("body"), new Uint8Array(mac))).toBe(false);
    expect(subtleSign).not.toHaveBeenCalled();
    expect(subtleVerify).not.toHaveBeenCalled();
  });

  it("verifies through crypto.subtle.verify when only WebCrypto exists", async () => {
    withoutBuiltinModule();
    const verifySpy = vi.spyOn(crypto.subtle, "verify");
    const mac = await hmacSha256("subtle-path", encode("body"));
    expect(await hmacSha256Verify(["subtle-path"], encode("body"), new Uint8Array(mac))).toBe(true);
    expect(verifySpy).toHaveBeenCalledTimes(1);
  });

  it("imports the key of a secret once and reuses it", async () => {
    withoutBuiltinModule();
    const importSpy = vi.spyOn(crypto.subtle, "importKey");
    const mac = new Uint8Array(await hmacSha256("cached-secret", encode("a")));
    await hmacSha256Verify(["cached-secret"], encode("a"), mac);
    await hmacSha256Verify(["cached-secret"], encode("b"), mac);
    expect(importSpy).toHaveBeenCalledTimes(1);
  });

  it("keeps working after more secrets than the key cache holds", async () => {
    withoutBuiltinModule();
    const secrets = Array.from({ length: 40 }, (_, index) => `rotating-${index}`);
    const macs = await Promise.all(secrets.map((secret) => hmacSha256(secret, encode("payload"))));
    for (const [index, secret] of secrets.entries()) {
      expect(await hmacSha256Verify([secret], encode("payload"), new Uint8Array(macs[index] as Uint8Array))).toBe(true);
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
    expect(await hmacSha256Verify(["other", "same"], encode("same body"), new Uint8Array(viaSubtle))).toBe(true);
    expect(await hmacSha256Verify(["other"], encode("same body"), new Uint8Array(viaSubtle))).toBe(false);
  });
});
