import { withSecretsFile } from "./settings.js";
import { readSecretsFile } from "./settings-source.js";
import type { VariableLookup } from "./types.js";

/**
 * Reads the runner's variables as its settings are read: the secrets file (`IAC_SECRETS_FILE`, else the default one
 * when it exists) over `env`. The file is read at each call, so a value rotated by a sidecar applies at once;
 * notification targets look variables up once per finished job, which makes that cheap.
 *
 * @example
 * ```ts
 * const notify = createNotifyReporter({ lookup: createVariableLookup(process.env) });
 * ```
 */
export function createVariableLookup(
  env: Readonly<Record<string, string | undefined>>,
  options: { defaultSecretsFile?: string | undefined } = {},
): VariableLookup {
  return async (name) => {
    const { env: located, text } = await readSecretsFile(env, options);
    return withSecretsFile(located, text)[name];
  };
}
