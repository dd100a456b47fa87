import { plainMessage } from "../../plain-message.js";
import { loadOperatorSettings, type OperatorSettings } from "../../settings.js";
import { SettingsError } from "../../settings-error.js";
import { readSecretsFile } from "../../settings-source.js";
import { CliError } from "../cli-error.js";

/**
 * The runner's configuration as `iac-runner serve` reads it (the environment, with the secrets file on top), reduced
 * to what the operator commands need; `dokploy: true` requires `DOKPLOY_URL` and `DOKPLOY_API_KEY`.
 *
 * @throws {CliError} naming every variable at fault (its JSON names the first).
 */
export async function readOperatorSettings(
  env: Readonly<Record<string, string | undefined>>,
  options: { dokploy: boolean },
): Promise<OperatorSettings> {
  try {
    const file = await readSecretsFile(env);
    return loadOperatorSettings(file.env, file.text, options);
  } catch (error) {
    if (error instanceof SettingsError) {
      throw new CliError(plainMessage(error), { json: { error: plainMessage(error), variable: error.variable } });
    }
    throw error;
  }
}
