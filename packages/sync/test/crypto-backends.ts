import { afterEach, beforeEach, vi } from "vitest";

/**
 * Runs a suite once per HMAC backend: WebCrypto as the runtime provides it, and the `@noble/hashes` fallback taken
 * when `globalThis.crypto` is absent.
 */
export const cryptoBackends: ReadonlyArray<readonly [name: string, removeCrypto: boolean]> = [
  ["WebCrypto", false],
  ["@noble/hashes fallback", true],
];

/** Removes `globalThis.crypto` for each test of the calling suite when `removeCrypto` is set. */
export function useCryptoBackend(removeCrypto: boolean): void {
  beforeEach(() => {
    if (removeCrypto) {
      vi.stubGlobal("crypto", undefined);
    }
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
}
