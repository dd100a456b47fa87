import { loadSettings } from "../../settings.js";
import { SettingsError } from "../../settings-error.js";
import type { RunnerSettings } from "../../types.js";

// Valid stand-ins for required variables, so that reading can go on past a missing one. They are never used to reach
// anything: every check that needs a replaced variable is skipped.
const STAND_INS: Readonly<Record<string, string>> = {
  WEBHOOK_SECRET: "stand-in",
  GIT_REPO_URL: "https://stand-in.invalid/repository.git",
  DOKPLOY_URL: "https://stand-in.invalid",
  DOKPLOY_API_KEY: "stand-in",
  VAULT_ADDR: "https://stand-in.invalid",
  VAULT_TOKEN: "stand-in",
  VAULT_ROLE_ID: "stand-in",
  VAULT_SECRET_ID: "stand-in",
};

/** Every problem of a configuration, and settings in which the invalid variables have stand-ins or defaults. */
export interface CollectedSettings {
  /** Undefined only when a problem could not be set aside (the same variable failed again). */
  settings: RunnerSettings | undefined;
  problems: SettingsError[];
}

/**
 * Finds every missing or invalid variable, not only the first, with `loadSettings` as the only judge: each time it
 * refuses a variable, the variable is replaced by a valid stand-in (required ones) or removed (optional ones, whose
 * default then applies) and the settings are read again. So doctor and `serve` can never disagree about what is valid.
 *
 * @param merged the environment with the secrets file's values already applied, as `serve` reads it.
 */
export function collectSettingsProblems(merged: Readonly<Record<string, string | undefined>>): CollectedSettings {
  const env: Record<string, string | undefined> = { ...merged };
  const problems: SettingsError[] = [];
  const seen = new Set<string>();
  for (;;) {
    try {
      return { settings: loadSettings(env), problems };
    } catch (error) {
      if (!(error instanceof SettingsError)) {
        throw error;
      }
      if (seen.has(error.variable)) {
        return { settings: undefined, problems };
      }
      seen.add(error.variable);
      problems.push(error);
      // VAULT_APP_TOKEN is read as VAULT_TOKEN: an alias left behind would be read again.
      const aliases = error.variable === "VAULT_TOKEN" ? { VAULT_APP_TOKEN: undefined } : {};
      Object.assign(env, { [error.variable]: STAND_INS[error.variable], ...aliases });
    }
  }
}
