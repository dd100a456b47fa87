import { type ConfigHashInput, configHash, legacyConfigHash } from "@iac/sync";
import type { Logger, VaultSession } from "../types.js";
import { type InputTarget, type PlainInputSource, type PlainInputs, readPlainInputs } from "./read-plain-inputs.js";
import { readServiceSecrets } from "./read-service-secrets.js";

/** Where every input of a service comes from: git, the runner's settings, Vault, and the key secrets are hashed with. */
export interface ServiceInputSource extends PlainInputSource {
  /** The Vault session; needed only when the service declares Vault paths. */
  vault: VaultSession | undefined;
  /** Key of the HMAC over secret values (`IAC_HASH_KEY`, else `WEBHOOK_SECRET`); needed only when there are secrets. */
  hashKey?: string | undefined;
}

/** Every input of a service's config hash, the hash itself and the original runner's hash over the same content. */
export interface ServiceInputs extends PlainInputs {
  /** Values read from the service's Vault paths, by key. Never log or print them. */
  secrets: Record<string, string>;
  /** Exactly what {@link hash} is computed from (hand it to `configHashDigests` to show each input's digest). */
  hashInput: ConfigHashInput;
  /** The config hash the runner records in `IAC_CONFIG_HASH` after a deploy of this content. */
  hash: string;
  /** `legacyConfigHash` of the compose and plain env, so the original runner's stored hashes still count. */
  legacyHash: string;
}

/**
 * Computes every input of one service's config hash, the one implementation behind the sync engine and the
 * `iac-runner hash` and `plan` commands, so a hash shown by the CLI is the hash the runner records: the compose file
 * and every file of the service at exactly `target.commit`, its plain env, and the secrets of the Vault paths it
 * declares (and no other).
 *
 * @throws {SyncError} `git_fetch_failed` (a file cannot be read), `vault_*` (see `readServiceSecrets`),
 * `config_invalid` (a Vault path or key that is not valid).
 * @throws {TypeError} when the service has secrets and `source.hashKey` is missing or empty.
 */
export async function readServiceInputs(
  source: ServiceInputSource,
  target: InputTarget,
  logger: Logger,
): Promise<ServiceInputs> {
  const plain = await readPlainInputs(source, target);
  const secrets = await readServiceSecrets(source.vault, target.service, target.env, logger);
  const hashInput: ConfigHashInput = {
    compose: plain.compose,
    files: Object.fromEntries(plain.files),
    env: plain.env,
    secrets,
    secretKey: source.hashKey,
  };
  return {
    ...plain,
    secrets,
    hashInput,
    hash: configHash(hashInput),
    legacyHash: legacyConfigHash(plain.compose, plain.env),
  };
}
