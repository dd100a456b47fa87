import { scanDotenv } from "./scan-dotenv.js";
import { formatDotenvLine } from "./serialize-dotenv.js";
import type { MergeEnvOptions } from "./types.js";

/**
 * Writes the runner's keys into a service's env text without disturbing anything else, because Dokploy replaces the
 * whole text on every write and other tools keep credentials there.
 *
 * - A key of `managed` replaces its first assignment in place (kept byte-for-byte when the value is already the
 *   same); later assignments of that key are removed so the managed value is the one in effect. Keys not present are
 *   appended in the order of `managed`.
 * - A key of `options.managedKeys` (the keys the runner owns: previous and current) that is not in `managed` any more
 *   has every assignment removed.
 * - Every other line (comments, blank lines, foreign assignments, duplicates of foreign keys, lines that do not
 *   parse) is kept byte-for-byte and in order.
 * - New lines use the remote's first line break (`\n` when it has none), and the text ends with a line break exactly
 *   when the remote did.
 *
 * Pass `""` for a service whose env is still null.
 *
 * @throws {TypeError} for a managed key outside `[A-Za-z_][A-Za-z0-9_.-]*` or a value that is not a string.
 * @example
 * mergeEnv("# set by ops\nAPI_TOKEN=abc\nIAC_CONFIG_HASH=0123456789ab\n", { IAC_CONFIG_HASH: hash }, {
 *   managedKeys: ["IAC_CONFIG_HASH", "OLD_FLAG"],
 * }); // "# set by ops\nAPI_TOKEN=abc\nIAC_CONFIG_HASH=v2:…\n"
 */
export function mergeEnv(
  remoteText: string,
  managed: Readonly<Record<string, string>>,
  options: MergeEnvOptions,
): string {
  const wanted = new Map(
    Object.entries(managed).map(([key, value]) => [key, { value, line: formatDotenvLine(key, value) }] as const),
  );
  const owned = new Set(options.managedKeys);
  const written = new Set<string>();
  const segments = scanDotenv(remoteText);
  const style = segments.find((segment) => segment.eol !== "")?.eol ?? "\n";
  const out: Array<{ text: string; eol: string }> = [];
  for (const segment of segments) {
    const { entry } = segment;
    const target = entry === null ? undefined : wanted.get(entry.key);
    if (entry !== null && target !== undefined) {
      if (!written.has(entry.key)) {
        written.add(entry.key);
        out.push({ text: entry.value === target.value ? segment.text : target.line, eol: segment.eol });
      }
    } else if (entry === null || !owned.has(entry.key)) {
      out.push(segment);
    }
  }
  for (const [key, { line }] of wanted) {
    if (!written.has(key)) {
      out.push({ text: line, eol: "" });
    }
  }
  const trailingBreak = segments.length > 0 && segments.at(-1)?.eol !== "";
  return out
    .map(({ text, eol }, index) => {
      const last = index === out.length - 1;
      if (last) {
        return text + (trailingBreak ? eol || style : "");
      }
      return text + (eol || style);
    })
    .join("");
}
