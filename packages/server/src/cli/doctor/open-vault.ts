import { createVaultClient, type VaultClient, type VaultTokenInfo } from "@iac/sdk";
import type { SyncVaultOptions } from "../../types.js";
import { describeFetchFailure } from "../describe-fetch-failure.js";

/** A Vault client holding the runner's token (after the AppRole login), and what `lookup-self` says about it. */
export type VaultAccess =
  | { ok: true; client: VaultClient; appRole: boolean; token: VaultTokenInfo }
  | { ok: false; message: string; fix: string };

/**
 * Authenticates to Vault as the runner does: the static token, or an AppRole login; then looks the token up.
 * Never retries: doctor reports the first answer.
 */
export async function openVault(vault: SyncVaultOptions, timeoutMs: number): Promise<VaultAccess> {
  const { address, appRole } = vault;
  const client = createVaultClient({
    address,
    token: appRole === undefined ? vault.token : undefined,
    namespace: vault.namespace,
    timeoutMs,
    retry: false,
  });
  const unreachable = (error: unknown): VaultAccess => ({
    ok: false,
    message: `cannot reach ${address}: ${describeFetchFailure(error, timeoutMs)}`,
    fix: "check VAULT_ADDR and that Vault is up, unsealed and reachable from here",
  });
  try {
    if (appRole !== undefined) {
      const login = await client.loginAppRole({
        mount: appRole.mount,
        roleId: appRole.roleId,
        secretId: appRole.secretId,
      });
      if (login.data === undefined) {
        return {
          ok: false,
          message: `${address} refused the AppRole login (HTTP ${login.response.status})`,
          fix: "check VAULT_ROLE_ID and VAULT_SECRET_ID (secret ids can expire or be used up)",
        };
      }
    }
    const lookup = await client.lookupSelf();
    if (lookup.data === undefined) {
      const status = lookup.response.status;
      return {
        ok: false,
        message: `${address} refused the token (HTTP ${status})`,
        fix:
          status === 403
            ? "VAULT_TOKEN is wrong, expired or revoked: issue a new one (or use AppRole)"
            : "check Vault's health (vault status)",
      };
    }
    return { ok: true, client, appRole: appRole !== undefined, token: lookup.data.data };
  } catch (error) {
    return unreachable(error);
  }
}
