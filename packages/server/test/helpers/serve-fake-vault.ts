import { createFakeVault, type FakeVault, type FakeVaultOptions } from "@iac/sdk/testing";
import { serveHandlers } from "./serve-handlers.js";

/** The fake Vault on a loopback port, reachable from other processes. */
export interface ServedFakeVault {
  vault: FakeVault;
  close(): Promise<void>;
}

/** Serves the fake Vault's msw handlers over real HTTP on 127.0.0.1, like `serveFakeDokploy` does for Dokploy. */
export async function serveFakeVault(options: Omit<FakeVaultOptions, "address"> = {}): Promise<ServedFakeVault> {
  const served = await serveHandlers(
    (address) => createFakeVault({ ...options, address }),
    (vault) => vault.handlers,
  );
  return { vault: served.fake, close: served.close };
}
