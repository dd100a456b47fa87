import type { CheckResult, CheckStatus } from "./check-result.js";

const SYMBOLS: Readonly<Record<CheckStatus, string>> = { ok: "✓", warn: "!", fail: "✗", skip: "-" };
const WORDS: Readonly<Record<CheckStatus, string>> = { ok: "ok", warn: "WARN", fail: "FAIL", skip: "SKIP" };

/**
 * One doctor line: `✓ git: …` on a terminal; `ok git: …` / `FAIL git: …` when piped (logs, CI), where the symbols
 * may not render and a word is easier to grep. A problem's fix follows an arrow.
 */
export function formatCheckLine(result: CheckResult, tty: boolean): string {
  const mark = tty ? SYMBOLS[result.status] : WORDS[result.status];
  const fix = result.fix === undefined ? "" : ` ${tty ? "→" : "->"} ${result.fix}`;
  return `${mark} ${result.name}: ${result.message}${fix}\n`;
}
