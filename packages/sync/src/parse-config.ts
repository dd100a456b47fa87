import { parseDocument } from "yaml";
import { deepFreeze } from "./deep-freeze.js";
import { DEFAULT_CONFIG } from "./default-config.js";
import { IacConfigError } from "./iac-config-error.js";
import type { IacConfig } from "./types.js";
import { validateConfig } from "./validate-config.js";

/**
 * Parses and validates the text of `iac.config.yaml` into a frozen `IacConfig` with every default filled in. No text
 * (undefined, empty, or only comments) gives the defaults, which reproduce the original runner. Unknown keys are
 * errors, so a typo cannot silently change what gets deployed.
 *
 * @throws {IacConfigError} on invalid YAML or an invalid value, naming the key path and what was expected.
 * @example
 * const config = parseConfig(await readFile("iac.config.yaml", "utf8"));
 * config.layers; // { platform: "auto", bootstrap: "manual", ... }
 */
export function parseConfig(yamlText?: string | undefined): IacConfig {
  if (yamlText === undefined || yamlText.trim() === "") {
    return DEFAULT_CONFIG;
  }
  const document = parseDocument(yamlText, { prettyErrors: true });
  const [firstError] = document.errors;
  if (firstError !== undefined) {
    throw new IacConfigError("", `expected valid YAML, ${firstError.message.trim()}`);
  }
  const value: unknown = document.toJS();
  return deepFreeze(value === null || value === undefined ? DEFAULT_CONFIG : validateConfig(value, DEFAULT_CONFIG));
}
