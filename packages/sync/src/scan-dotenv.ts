import type { DotenvEntry } from "./types.js";

/** One or more physical lines of a dotenv text: an assignment (possibly a multi-line quoted value) or anything else. */
export interface DotenvSegment {
  /** The line(s) exactly as written, without the final line break. */
  text: string;
  /** The line break that ends the segment (`"\n"`, `"\r\n"`, `"\r"`), or `""` at the end of the text. */
  eol: string;
  /** The assignment, or null for blank lines, comments and lines that assign nothing. */
  entry: DotenvEntry | null;
}

interface Line {
  text: string;
  eol: string;
}

// Same line breaks and key characters as the `dotenv` package, which Dokploy uses to read a service's env.
const LINE_BREAK = /\r\n|\r|\n/g;
const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=/;
const AFTER_CLOSING_QUOTE = /^\s*(?:#.*)?$/;
const DOUBLE_QUOTED_ESCAPE = /\\([\s\S])/g;
const UNESCAPED: Readonly<Record<string, string>> = { n: "\n", r: "\r", "\\": "\\", '"': '"' };

/**
 * Splits a dotenv text into segments that keep every byte, so a text can be edited one assignment at a time.
 * Joining `text + eol` of all segments gives the input back. See `parseDotenv` for the syntax.
 */
export function scanDotenv(text: string): DotenvSegment[] {
  const lines = splitLines(text);
  const segments: DotenvSegment[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as Line;
    const match = ASSIGNMENT.exec(line.text);
    const key = match?.[1];
    if (match === null || key === undefined) {
      segments.push({ ...line, entry: null });
      index += 1;
      continue;
    }
    const rest = line.text.slice(match[0].length);
    const quoted = readQuoted(lines, index, rest);
    if (quoted === null) {
      segments.push({ ...line, entry: { key, value: readUnquoted(rest) } });
      index += 1;
      continue;
    }
    const spanned = lines.slice(index, quoted.end + 1);
    segments.push({
      text: spanned.map((part, i) => (i < spanned.length - 1 ? part.text + part.eol : part.text)).join(""),
      eol: spanned[spanned.length - 1]?.eol ?? "",
      entry: { key, value: quoted.value },
    });
    index = quoted.end + 1;
  }
  return segments;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const match of text.matchAll(LINE_BREAK)) {
    lines.push({ text: text.slice(start, match.index), eol: match[0] });
    start = match.index + match[0].length;
  }
  if (start < text.length) {
    lines.push({ text: text.slice(start), eol: "" });
  }
  return lines;
}

// A quoted value may run over several lines; it counts only if the closing quote is followed by nothing but
// whitespace or a comment. Otherwise the line is read as unquoted, as `dotenv` does.
function readQuoted(lines: readonly Line[], start: number, rest: string): { end: number; value: string } | null {
  const body = rest.trimStart();
  const quote = body.charAt(0);
  if (quote !== "'" && quote !== '"' && quote !== "`") {
    return null;
  }
  let value = "";
  let text = body.slice(1);
  for (let end = start; ; ) {
    const close = closingQuote(text, quote);
    if (close !== -1) {
      if (!AFTER_CLOSING_QUOTE.test(text.slice(close + 1))) {
        return null;
      }
      value += text.slice(0, close);
      return { end, value: quote === '"' ? value.replace(DOUBLE_QUOTED_ESCAPE, unescapeSequence) : value };
    }
    end += 1;
    const next = lines[end];
    if (next === undefined) {
      return null;
    }
    value += `${text}\n`;
    text = next.text;
  }
}

function closingQuote(text: string, quote: string): number {
  if (quote !== '"') {
    return text.indexOf(quote);
  }
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === "\\") {
      i += 1;
    } else if (char === '"') {
      return i;
    }
  }
  return -1;
}

function unescapeSequence(sequence: string, char: string): string {
  return UNESCAPED[char] ?? sequence;
}

function readUnquoted(rest: string): string {
  const comment = rest.indexOf("#");
  return (comment === -1 ? rest : rest.slice(0, comment)).trim();
}
