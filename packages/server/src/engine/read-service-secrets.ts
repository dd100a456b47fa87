import type { CatalogService } from "@iac/sync";
import type { Logger, VaultSession } from "../types.js";
import { noResponseError } from "./describe-network-error.js";
import { SyncError } from "./sync-error.js";
import { parseVaultPath } from "./vault-path.js";

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Reads every Vault path the service declares in `iac.config.yaml` (and no other) and merges their keys, later paths
 * winning on a clash. Any failure fails the sync with a classified reason; it never degrades to "no secrets":
 * `vault_secret_missing` (absent or soft-deleted/destroyed), `vault_permission_denied` (403, refused login),
 * `vault_unreachable` (no answer, 5xx, or no Vault configured). Error messages name paths, never values.
 */
export async function readServiceSecrets(
  vault: VaultSession | undefined,
  service: CatalogService,
  env: string,
  logger: Logger,
): Promise<Record<string, string>> {
  if (service.vault.length === 0) {
    return {};
  }
  if (vault === undefined) {
    throw new SyncError(
      "vault_unreachable",
      `[@iac/server] service "${service.name}" declares Vault paths but the runner has no Vault configured (VAULT_ADDR)`,
    );
  }
  const secrets: Record<string, string> = {};
  for (const template of service.vault) {
    const location = parseVaultPath(template, { env, service: service.name });
    const where = `${location.mount}/data/${location.path}`;
    const result = await vault.read(location, logger).catch((error: unknown) => {
      throw error instanceof SyncError ? error : noResponseError("vault_unreachable", `Vault read of ${where}`, error);
    });
    switch (result.kind) {
      case "ok":
        break;
      case "missing":
        throw new SyncError("vault_secret_missing", `[@iac/server] Vault secret ${where} does not exist`);
      case "deleted":
        throw new SyncError("vault_secret_missing", `[@iac/server] Vault secret ${where} is deleted or destroyed`);
      case "forbidden":
        throw new SyncError("vault_permission_denied", `[@iac/server] Vault read of ${where}: permission denied (403)`);
      default:
        throw new SyncError(
          "vault_unreachable",
          `[@iac/server] Vault read of ${where}: expected 200, received ${result.status}`,
        );
    }
    for (const [key, value] of Object.entries(result.data)) {
      if (!ENV_KEY.test(key)) {
        throw new SyncError(
          "config_invalid",
          `[@iac/server] Vault secret ${where} has key "${key}": expected an env name matching ${ENV_KEY.source}`,
        );
      }
      secrets[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    logger.debug({ vaultPath: where, keys: Object.keys(result.data).length }, "read Vault secret");
  }
  return secrets;
}
