import { describeValue } from "./describe-value.js";
import type { DotenvEntry } from "./types.js";

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const QUOTES = "'\"`";
const LINE_BREAK = /[\r\n]/;
const DOUBLE_QUOTED_SPECIAL = /[\\"\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r" };

/**
 * Writes entries as a dotenv text, one `KEY=value` line each, joined by `\n` without a trailing line break.
 * `parseDotenv` reads the result back to the same entries.
 *
 * A value is written bare when that is unambiguous, else in single quotes, else in backticks, else in double quotes
 * with `\\`, `\"`, `\n` and `\r` escaped. Only that last form can be read differently by the `dotenv` package (which
 * keeps `\\` and `\"`): it is used for values with a line break, or with `'` and `` ` `` both, that also contain `\`
 * or `"`.
 *
 * @throws {TypeError} for a key outside `[A-Za-z_][A-Za-z0-9_.-]*` or a value that is not a string.
 * @example
 * serializeDotenv([{ key: "A", value: "1" }, { key: "B", value: "has #hash" }]); // "A=1\nB='has #hash'"
 */
export function serializeDotenv(entries: readonly DotenvEntry[]): string {
  return entries.map(({ key, value }) => formatDotenvLine(key, value)).join("\n");
}

/** One `KEY=value` line, quoted as {@link serializeDotenv} describes. */
export function formatDotenvLine(key: string, value: string): string {
  if (typeof key !== "string" || !KEY.test(key)) {
    throw new TypeError(
      `[@iac/sync] invalid env key ${describeValue(key)}: expected a name matching [A-Za-z_][A-Za-z0-9_.-]*`,
    );
  }
  if (typeof value !== "string") {
    throw new TypeError(
      `[@iac/sync] invalid env value for ${key}: expected a string, received ${describeValue(value)}`,
    );
  }
  return `${key}=${quoteValue(value)}`;
}

function quoteValue(value: string): string {
  if (!LINE_BREAK.test(value)) {
    if (value === "" || (value === value.trim() && !value.includes("#") && !QUOTES.includes(value.charAt(0)))) {
      return value;
    }
    if (!value.includes("'")) {
      return `'${value}'`;
    }
    if (!value.includes("`")) {
      return `\`${value}\``;
    }
  }
  return `"${value.replace(DOUBLE_QUOTED_SPECIAL, (char) => ESCAPES[char] ?? char)}"`;
}
