import { loadSettings } from "../../settings.js";
import { SettingsError } from "../../settings-error.js";
import type { RunnerSettings, SettingsProblem } from "../../types.js";

// Valid stand-ins for required variables, so that the checks of the valid ones can run. They are never used to reach
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
  /** Undefined only when the stand-ins were refused too. */
  settings: RunnerSettings | undefined;
  problems: readonly SettingsProblem[];
}

/**
 * Every missing or invalid variable, as `loadSettings` reports them, and settings for the checks that remain: each
 * variable at fault is replaced by a valid stand-in (required ones) or removed (optional ones, whose default then
 * applies). `loadSettings` is the only judge, so doctor and `serve` never disagree about what is valid.
 *
 * @param merged the environment with the secrets file's values already applied, as `serve` reads it.
 */
export function collectSettingsProblems(merged: Readonly<Record<string, string | undefined>>): CollectedSettings {
  let problems: readonly SettingsProblem[];
  try {
    return { settings: loadSettings(merged), problems: [] };
  } catch (error) {
    if (!(error instanceof SettingsError)) {
      throw error;
    }
    problems = error.problems;
  }
  const env: Record<string, string | undefined> = { ...merged };
  for (const { variable } of problems) {
    if (variable !== undefined) {
      // VAULT_APP_TOKEN is read as VAULT_TOKEN: an alias left behind would be read again.
      const aliases = variable === "VAULT_TOKEN" ? { VAULT_APP_TOKEN: undefined } : {};
      Object.assign(env, { [variable]: STAND_INS[variable], ...aliases });
    }
  }
  try {
    return { settings: loadSettings(env), problems };
  } catch (error) {
    if (!(error instanceof SettingsError)) {
      throw error;
    }
    return { settings: undefined, problems };
  }
}
