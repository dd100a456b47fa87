import { readFile, stat } from "node:fs/promises";
import { noopLogger } from "./logging/noop-logger.js";
import { DEFAULT_SECRETS_FILE, loadSettings } from "./settings.js";
import { SettingsError } from "./settings-error.js";
import type { Logger, RunnerSettings } from "./types.js";

/** Options of {@link createSettingsSource}. */
export interface SettingsSourceOptions {
  /** Secrets file used when `IAC_SECRETS_FILE` is not set and the file exists (default `/secrets/.env`). */
  defaultSecretsFile?: string | undefined;
  /**
   * How long `load()` trusts its last look at the secrets file (default 1000 ms): a rotation applies within this
   * time, and a busy server looks at the file once per interval instead of once per request.
   */
  checkIntervalMs?: number | undefined;
  logger?: Logger | undefined;
}

/** Settings that follow the secrets file: `load()` re-reads it when it changed. */
export interface SettingsSource {
  /** The secrets file in use, if any (the default one once it exists). */
  readonly secretsFile: string | undefined;
  /** The current settings; re-reads the secrets file when its modification time or size changed since last checked. */
  load(): Promise<RunnerSettings>;
  /**
   * The current settings without waiting, when the secrets file was looked at within `checkIntervalMs`; undefined
   * when it is due to be looked at again (then call `load()`). Lets a busy caller skip a promise per call.
   */
  peek(): RunnerSettings | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

async function fingerprint(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return `${info.mtimeMs}:${info.size}:${info.ino}`;
  } catch {
    return undefined;
  }
}

/** The secrets file of `env`: the one `IAC_SECRETS_FILE` names (`explicit`), else the default one. */
function locateSecretsFile(env: Env, defaultSecretsFile: string | undefined): { path: string; explicit: boolean } {
  const { IAC_SECRETS_FILE: configured } = env;
  const named = configured?.trim() || undefined;
  return { path: named ?? defaultSecretsFile ?? DEFAULT_SECRETS_FILE, explicit: named !== undefined };
}

/** The text of the secrets file; undefined when the default file does not exist (a named one must be readable). */
async function readSecretsText(path: string, explicit: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    if (!explicit && code === "ENOENT") {
      return undefined;
    }
    throw new SettingsError("IAC_SECRETS_FILE", `names a file that cannot be read (${code}): ${path}`);
  }
}

/**
 * Reads the secrets file once, by the rules of {@link createSettingsSource}, for commands that run once: the
 * environment to hand to `loadSettings` (with `IAC_SECRETS_FILE` set when the default file is used) and the file's
 * text, undefined when there is none.
 *
 * @throws {SettingsError} when `IAC_SECRETS_FILE` names a file that cannot be read.
 */
export async function readSecretsFile(
  env: Env,
  options: { defaultSecretsFile?: string | undefined } = {},
): Promise<{ env: Env; text: string | undefined }> {
  const { path, explicit } = locateSecretsFile(env, options.defaultSecretsFile);
  const text = await readSecretsText(path, explicit);
  return { env: text === undefined || explicit ? env : { ...env, IAC_SECRETS_FILE: path }, text };
}

/**
 * Reads the settings once (throwing on a bad configuration, so the server refuses to start) and keeps them in step
 * with the secrets file a vault-agent sidecar re-renders: a rotated `WEBHOOK_SECRET` applies without a restart, within
 * `checkIntervalMs`. The
 * default file is optional and may appear after start-up (a sidecar that renders late); a named `IAC_SECRETS_FILE`
 * must be readable at start. A re-rendered file that is invalid (e.g. caught half-written) or that disappears is
 * logged and the last valid settings stay in force.
 *
 * @throws {SettingsError} for an invalid configuration or an `IAC_SECRETS_FILE` that cannot be read.
 */
export async function createSettingsSource(env: Env, options: SettingsSourceOptions = {}): Promise<SettingsSource> {
  const logger = options.logger ?? noopLogger;
  const { path, explicit } = locateSecretsFile(env, options.defaultSecretsFile);
  const envWithFile = explicit ? env : { ...env, IAC_SECRETS_FILE: path };
  const read = (): Promise<string | undefined> => readSecretsText(path, explicit);

  let seen = await fingerprint(path);
  const initial = await read();
  let inUse = initial !== undefined;
  let current = loadSettings(inUse ? envWithFile : env, initial);

  const refresh = async (): Promise<void> => {
    const now = await fingerprint(path);
    if (now === seen) {
      return;
    }
    seen = now;
    if (now === undefined) {
      logger.warn({ secretsFile: path }, "secrets file disappeared; keeping the previous settings");
      return;
    }
    try {
      const text = await read();
      current = loadSettings(envWithFile, text);
      inUse = true;
      logger.info({ secretsFile: path }, "secrets file reloaded");
    } catch (error) {
      logger.warn(
        { secretsFile: path, error: (error as Error).message },
        "secrets file invalid; keeping the previous settings",
      );
    }
  };
  const checkIntervalMs = options.checkIntervalMs ?? 1_000;
  let checkedAt = Date.now();
  // Callers that arrive while the file is being looked at share that look.
  let checking: Promise<void> | undefined;

  return {
    get secretsFile() {
      return inUse ? path : undefined;
    },
    async load() {
      if (checking === undefined && Date.now() - checkedAt >= checkIntervalMs) {
        checking = refresh().finally(() => {
          checkedAt = Date.now();
          checking = undefined;
        });
      }
      await checking;
      return current;
    },
    peek() {
      return checking === undefined && Date.now() - checkedAt < checkIntervalMs ? current : undefined;
    },
  };
}
