import { parseDotenv } from "@iac/sync";
import { SettingsError } from "../../settings-error.js";
import { createSettingsSource, readSecretsFile } from "../../settings-source.js";
import type { RunnerSettings, SettingsProblem } from "../../types.js";
import { collectSettingsProblems } from "./collect-settings-problems.js";

/** The configuration as `serve` would read it, with every problem instead of the first. */
export interface DoctorSettings {
  /**
   * Exactly the settings `serve` would use when there is no problem; otherwise settings with stand-ins for the invalid
   * variables (the checks that need those are skipped), or undefined when none could be made.
   */
  settings: RunnerSettings | undefined;
  problems: readonly SettingsProblem[];
  /** The secrets file whose values override the environment, when one is used. */
  secretsFile: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the configuration like `serve` does (environment plus secrets file, through `createSettingsSource`); when
 * that fails, reads it again collecting every problem.
 */
export async function readDoctorSettings(
  env: Env,
  options: { defaultSecretsFile?: string | undefined } = {},
): Promise<DoctorSettings> {
  try {
    const source = await createSettingsSource(env, { defaultSecretsFile: options.defaultSecretsFile });
    return { settings: await source.load(), problems: [], secretsFile: source.secretsFile };
  } catch (error) {
    if (!(error instanceof SettingsError)) {
      throw error;
    }
    if (error.variable === "IAC_SECRETS_FILE") {
      // Without the file's values, what the environment alone lacks would be guesswork: report the file only.
      return { settings: undefined, problems: error.problems, secretsFile: undefined };
    }
  }
  // The first problem stopped createSettingsSource: read the same environment and file again, collecting them all.
  const { env: withFile, text } = await readSecretsFile(env, { defaultSecretsFile: options.defaultSecretsFile });
  const merged: Record<string, string | undefined> = { ...withFile };
  for (const { key, value } of text === undefined ? [] : parseDotenv(text)) {
    merged[key] = value;
  }
  const { IAC_SECRETS_FILE: secretsFile } = withFile;
  return { ...collectSettingsProblems(merged), secretsFile: text === undefined ? undefined : secretsFile };
}
