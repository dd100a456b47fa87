import { LineCounter, parseDocument } from "yaml";
import { deepFreeze } from "./deep-freeze.js";
import { DEFAULT_CONFIG } from "./default-config.js";
import { formatKeyPath } from "./format-key-path.js";
import { locateKeyPath } from "./locate-key-path.js";
import type { ConfigProblem, ConfigValidation } from "./types.js";
import { validateConfig } from "./validate-config.js";

function position(lines: LineCounter, offset: number | undefined): Pick<ConfigProblem, "line" | "column"> {
  if (offset === undefined) {
    return { line: null, column: null };
  }
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/**
 * Validates the text of `iac.config.yaml` and returns **every** problem at once, each with its key path and its line
 * and column, or the config with every default filled in (frozen, exactly what `parseConfig` returns). It applies the
 * same rules as `parseConfig`, which throws the first of these problems; use this one for editors, linters and
 * `iac-runner validate`. No text (undefined, empty, only comments) is valid and gives the defaults.
 *
 * Invalid YAML is reported alone (with key path `""`): a document that does not parse has no keys to check.
 *
 * @example
 * const result = validateConfigText("services:\n  pg:\n    vault: [3]\n    compse: x\n");
 * if (!result.ok) {
 *   for (const { keyPath, line, message } of result.problems) console.log(`${line}: ${keyPath}: ${message}`);
 *   // 3: services.pg.vault[0]: expected a non-empty string, received 3
 *   // 4: services.pg.compse: unknown key "compse", expected one of compose, files, dokploy, vault, env
 * }
 */
export function validateConfigText(text?: string | undefined): ConfigValidation {
  if (text === undefined || text.trim() === "") {
    return { ok: true, config: DEFAULT_CONFIG, problems: [] };
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const yamlProblems = document.errors.map(
    (error): ConfigProblem => ({
      keyPath: "",
      message: `expected valid YAML, ${error.message.trim()}`,
      ...position(lines, error.pos[0]),
    }),
  );
  if (yamlProblems.length > 0) {
    return { ok: false, config: null, problems: yamlProblems };
  }
  let value: unknown;
  try {
    value = document.toJS();
  } catch (error) {
    // e.g. an alias expanding past yaml's maxAliasCount (the "billion laughs" guard).
    const message = `expected valid YAML, ${(error as Error).message}`;
    return { ok: false, config: null, problems: [{ keyPath: "", message, line: null, column: null }] };
  }
  if (value === null || value === undefined) {
    return { ok: true, config: DEFAULT_CONFIG, problems: [] };
  }
  const { config, violations } = validateConfig(value, DEFAULT_CONFIG);
  if (violations.length === 0) {
    return { ok: true, config: deepFreeze(config), problems: [] };
  }
  const problems = violations.map(
    ({ path, problem }): ConfigProblem => ({
      keyPath: formatKeyPath(path),
      message: problem,
      ...position(lines, locateKeyPath(document.contents, path)),
    }),
  );
  return { ok: false, config: null, problems };
}
