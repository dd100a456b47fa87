import { afterEach, beforeEach, vi } from "vitest";

/** The HMAC backends, in the order `hmac.ts` prefers them. */
export type CryptoBackend = "built-in crypto module" | "WebCrypto" | "@noble/hashes";

/** Runs a suite once per HMAC backend (with `describe.each`). */
export const cryptoBackends: readonly CryptoBackend[] = ["built-in crypto module", "WebCrypto", "@noble/hashes"];

/** Hides the runtime's crypto module, and for the noble backend `globalThis.crypto` too, in each test of the suite. */
export function useCryptoBackend(backend: CryptoBackend): void {
  beforeEach(() => {
    if (backend !== "built-in crypto module") {
      vi.spyOn(process, "getBuiltinModule").mockReturnValue(undefined as never);
    }
    if (backend === "@noble/hashes") {
      vi.stubGlobal("crypto", undefined);
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });
}
