import { scanDotenv } from "./scan-dotenv.js";
import type { DotenvEntry } from "./types.js";

/**
 * Reads a dotenv text (a Dokploy service env) into its assignments, in order. Duplicate keys are all returned; the
 * last one is the value Dokploy uses.
 *
 * The syntax follows the `dotenv` package that Dokploy reads env texts with:
 * - `KEY=value` and `export KEY=value`; keys are `[A-Za-z0-9_.-]+`, spaces around `=` are allowed; lines that assign
 *   nothing are skipped. Line breaks are `\n`, `\r\n` or `\r`.
 * - A line whose first non-blank character is `#` is a comment.
 * - An unquoted value ends at the first `#` (even without a space before it: `A=b#c` reads `b`) and is trimmed.
 * - `'…'` and `` `…` `` are taken literally; `"…"` turns `\n` and `\r` into line breaks and, unlike `dotenv`, also
 *   `\\` and `\"` into `\` and `"`. Quoted values may span lines (read with `\n` breaks) and may be followed by
 *   blanks and a `# comment`. A quote that is not closed, or is followed by anything else, is read as part of an
 *   unquoted value.
 * - Unlike `dotenv`, a value must start on the line of its key (`A=` followed by a quoted line reads as empty) and
 *   the `KEY: value` form is not read.
 *
 * @example
 * parseDotenv('A=1\nexport B="two\\nlines" # note\n# C=3');
 * // [{ key: "A", value: "1" }, { key: "B", value: "two\nlines" }]
 */
export function parseDotenv(text: string): DotenvEntry[] {
  return scanDotenv(text).flatMap((segment) => (segment.entry === null ? [] : [segment.entry]));
}
