import { IacConfigError } from "./iac-config-error.js";
import type { IacConfig } from "./types.js";
import { validateConfigText } from "./validate-config-text.js";

/**
 * Parses and validates the text of `iac.config.yaml` into a frozen `IacConfig` with every default filled in. No text
 * (undefined, empty, or only comments) gives the defaults, which reproduce the original runner. Unknown keys are
 * errors, so a typo cannot silently change what gets deployed. To get every problem at once instead of the first,
 * use `validateConfigText` (the same rules).
 *
 * @throws {IacConfigError} on invalid YAML or an invalid value: the first problem, naming the key path and what was
 * expected.
 * @example
 * const config = parseConfig(await readFile("iac.config.yaml", "utf8"));
 * config.layers; // { platform: "auto", bootstrap: "manual", ... }
 */
export function parseConfig(yamlText?: string | undefined): IacConfig {
  const result = validateConfigText(yamlText);
  if (!result.ok) {
    const [first] = result.problems;
    throw new IacConfigError(first?.keyPath ?? "", first?.message ?? "expected a valid config");
  }
  return result.config;
}
