import { readFile, stat } from "node:fs/promises";
import { noopLogger } from "./logging/noop-logger.js";
import { DEFAULT_SECRETS_FILE, loadSettings } from "./settings.js";
import { SettingsError } from "./settings-error.js";
import type { Logger, RunnerSettings } from "./types.js";

/** Options of {@link createSettingsSource}. */
export interface SettingsSourceOptions {
  /** Secrets file used when `IAC_SECRETS_FILE` is not set and the file exists (default `/secrets/.env`). */
  defaultSecretsFile?: string | undefined;
  logger?: Logger | undefined;
}

/** Settings that follow the secrets file: `load()` re-reads it when it changed. */
export interface SettingsSource {
  /** The secrets file in use, if any. */
  readonly secretsFile: string | undefined;
  /** The current settings; re-reads the secrets file when its modification time or size changed. */
  load(): Promise<RunnerSettings>;
}

async function fingerprint(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return `${info.mtimeMs}:${info.size}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Reads the settings once (throwing on a bad configuration, so the server refuses to start) and keeps them in step
 * with the secrets file a vault-agent sidecar re-renders: a rotated `WEBHOOK_SECRET` applies without a restart. A
 * re-rendered file that is invalid (e.g. caught half-written) is logged and the last valid settings stay in force.
 *
 * @throws {SettingsError} for an invalid configuration or an `IAC_SECRETS_FILE` that cannot be read.
 */
export async function createSettingsSource(
  env: Readonly<Record<string, string | undefined>>,
  options: SettingsSourceOptions = {},
): Promise<SettingsSource> {
  const logger = options.logger ?? noopLogger;
  const { IAC_SECRETS_FILE: configured } = env;
  const explicit = configured?.trim() || undefined;
  const fallback = options.defaultSecretsFile ?? DEFAULT_SECRETS_FILE;
  const secretsFile = explicit ?? ((await fingerprint(fallback)) === undefined ? undefined : fallback);
  const withFile =
    explicit === undefined && secretsFile !== undefined ? { ...env, IAC_SECRETS_FILE: secretsFile } : env;

  const read = async (): Promise<string | undefined> => {
    if (secretsFile === undefined) {
      return undefined;
    }
    try {
      return await readFile(secretsFile, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
      throw new SettingsError("IAC_SECRETS_FILE", `names a file that cannot be read (${code}): ${secretsFile}`);
    }
  };

  let seen = secretsFile === undefined ? undefined : await fingerprint(secretsFile);
  let current = loadSettings(withFile, await read());

  return {
    secretsFile,
    async load() {
      if (secretsFile === undefined) {
        return current;
      }
      const now = await fingerprint(secretsFile);
      if (now === undefined || now === seen) {
        return current;
      }
      seen = now;
      try {
        current = loadSettings(withFile, await read());
        logger.info({ secretsFile }, "secrets file reloaded");
      } catch (error) {
        logger.warn(
          { secretsFile, error: (error as Error).message },
          "secrets file invalid; keeping the previous settings",
        );
      }
      return current;
    },
  };
}
