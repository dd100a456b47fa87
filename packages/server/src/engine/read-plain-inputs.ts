import type { GitMirror, SyncTarget } from "../types.js";
import { readServiceFiles } from "./read-service-files.js";
import { serviceEnv } from "./service-env.js";

/** Where the plain inputs of a service come from: the git object store and the runner's own settings. */
export interface PlainInputSource {
  git: Pick<GitMirror, "readFile">;
  /** `VAULT_ADDR` handed to every service (the normalised address of the runner's Vault), when configured. */
  vaultAddress?: string | undefined;
  /** `INTERNAL_DOMAIN` handed to every service, when configured. */
  internalDomain?: string | undefined;
}

/** One service in one environment at one commit. */
export type InputTarget = Pick<SyncTarget, "commit" | "env" | "environment" | "service">;

/** Everything that goes into a service's config hash except its secrets. */
export interface PlainInputs {
  /** Compose file text. */
  compose: string;
  /** Every other file of the service, by repository path. */
  files: Map<string, Uint8Array>;
  /** The plain env the service is deployed with (see `serviceEnv`). */
  env: Record<string, string>;
}

/**
 * Reads the compose file and every other file of a service at exactly `target.commit` from the git object store and
 * builds its plain env: every input of its config hash that is not a secret. `readServiceInputs` adds the secrets.
 *
 * @throws {SyncError} `git_fetch_failed` when the commit or a file cannot be read.
 */
export async function readPlainInputs(source: PlainInputSource, target: InputTarget): Promise<PlainInputs> {
  const { compose, files } = await readServiceFiles(source.git, target.commit, target.service);
  const env = serviceEnv({
    env: target.env,
    environment: target.environment,
    service: target.service,
    internalDomain: source.internalDomain,
    vaultAddress: source.vaultAddress,
  });
  return { compose, files, env };
}
