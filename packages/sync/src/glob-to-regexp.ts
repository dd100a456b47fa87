const REGEXP_SPECIAL = /[.+^$()|[\]\\*?{}]/;
/** Pattern syntax of other glob dialects (classes, extglobs, `|`): matched literally here, so refused unescaped. */
const FOREIGN_SYNTAX = /[[\]()|]/;

function unsupported(glob: string, what: string, fix: string): Error {
  return new Error(`[@iac/sync] invalid glob ${JSON.stringify(glob)}: ${what} is not supported; ${fix}`);
}

function isBoundary(char: string | undefined, group: boolean): boolean {
  return char === undefined || char === "/" || (group && (char === "," || char === "{" || char === "}"));
}

/**
 * Compiles a path glob into an anchored RegExp. `*` matches within one path segment, `**` as a whole segment matches
 * any number of segments (including none), `?` matches one character other than `/`, `{a,b}` matches either
 * alternative (alternatives may nest and contain globs), and `\` makes the next character literal. Dotfiles are not
 * special. Throws on an empty glob, unbalanced braces, and syntax of other glob dialects that would otherwise be
 * matched as plain text or as `*` and so silently select other files than meant: character classes (`[ab]`),
 * extglobs (`@(a|b)`, `+(x)`, `!(x)`), `|`, a leading `!` (negation), and `**` that is not a whole segment. Escape
 * such a character with `\` to match it literally.
 *
 * @example
 * globToRegExp("libs/**").test("libs/common/util.py"); // true
 * globToRegExp("platform/*\/compose.{yaml,yml}").test("platform/01.postgres/compose.yml"); // true
 */
export function globToRegExp(glob: string): RegExp {
  if (glob.length === 0) {
    throw new Error("[@iac/sync] invalid glob: expected a non-empty string, received an empty one");
  }
  if (glob.startsWith("!")) {
    throw unsupported(
      glob,
      'a leading "!" (negation)',
      'list only the paths to include, or write "\\!" for a literal "!"',
    );
  }
  let source = "";
  let depth = 0;
  let i = 0;
  while (i < glob.length) {
    const char = glob[i] as string;
    if (FOREIGN_SYNTAX.test(char)) {
      throw unsupported(
        glob,
        `${JSON.stringify(char)} (character classes, extglobs and "|" alternatives)`,
        `use {a,b} for alternatives, or write "\\${char}" for a literal "${char}"`,
      );
    }
    if (char === "\\") {
      const next = glob[i + 1];
      if (next === undefined) {
        throw new Error(`[@iac/sync] invalid glob ${JSON.stringify(glob)}: expected a character after "\\"`);
      }
      source += REGEXP_SPECIAL.test(next) ? `\\${next}` : next;
      i += 2;
    } else if (char === "*") {
      let end = i;
      while (glob[end] === "*") {
        end++;
      }
      const globstar = end - i === 2 && isBoundary(glob[i - 1], depth > 0) && isBoundary(glob[end], depth > 0);
      if (end - i > 1 && !globstar) {
        throw unsupported(
          glob,
          `${JSON.stringify(glob.slice(i, end))} inside a segment`,
          "write ** as a whole segment (a/**/b, a/**) for any depth, or * for one segment",
        );
      }
      if (globstar && glob[end] === "/") {
        source += "(?:.*/)?";
        end++;
      } else {
        source += globstar ? ".*" : "[^/]*";
      }
      i = end;
    } else if (char === "?") {
      source += "[^/]";
      i++;
    } else if (char === "{") {
      source += "(?:";
      depth++;
      i++;
    } else if (char === "}" && depth > 0) {
      source += ")";
      depth--;
      i++;
    } else if (char === "," && depth > 0) {
      source += "|";
      i++;
    } else if (char === "}") {
      throw new Error(`[@iac/sync] invalid glob ${JSON.stringify(glob)}: expected "{" before "}"`);
    } else {
      source += REGEXP_SPECIAL.test(char) ? `\\${char}` : char;
      i++;
    }
  }
  if (depth > 0) {
    throw new Error(`[@iac/sync] invalid glob ${JSON.stringify(glob)}: expected "}" to close "{"`);
  }
  return new RegExp(`^${source}$`);
}
