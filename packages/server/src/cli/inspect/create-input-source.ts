import type { CatalogService } from "@iac/sync";
import type { ServiceInputSource } from "../../engine/read-service-inputs.js";
import { systemClock } from "../../engine/system-clock.js";
import { createVaultSession } from "../../engine/vault-session.js";
import type { GitReader } from "../../git/git-reader.js";
import { noopLogger } from "../../logging/noop-logger.js";
import type { OperatorSettings } from "../../settings.js";
import { CliError } from "../cli-error.js";

/**
 * What `readServiceInputs` needs, from the runner's settings: the same Vault (its address also goes into every
 * service's env as `VAULT_ADDR`), `INTERNAL_DOMAIN` and hash key, so the hashes are the ones the runner records.
 */
export function createInputSource(git: GitReader, settings: OperatorSettings): ServiceInputSource {
  const { vault } = settings;
  return {
    git,
    vault: vault === undefined ? undefined : createVaultSession({ vault, clock: systemClock, logger: noopLogger }),
    vaultAddress: vault?.address,
    internalDomain: settings.internalDomain,
    hashKey: settings.hashKey,
  };
}

/**
 * Why the secrets of `service` cannot be hashed with `settings`, or undefined when they can: a service that declares
 * Vault paths needs Vault and the hash key, configured as for `iac-runner serve`.
 */
export function secretsProblem(service: CatalogService, settings: OperatorSettings): CliError | undefined {
  if (service.vault.length === 0) {
    return undefined;
  }
  if (settings.vault === undefined) {
    const message = `${service.name} declares Vault paths: set VAULT_ADDR and VAULT_TOKEN (or VAULT_ROLE_ID and VAULT_SECRET_ID) as for iac-runner serve`;
    return new CliError(message, { json: { error: message, code: "vault_not_configured" } });
  }
  if (settings.hashKey === undefined) {
    const message = `${service.name} has Vault secrets, which enter the hash through an HMAC: set IAC_HASH_KEY (or WEBHOOK_SECRET) to the runner's value`;
    return new CliError(message, { json: { error: message, code: "hash_key_missing" } });
  }
  return undefined;
}
