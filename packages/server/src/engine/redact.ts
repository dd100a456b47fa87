/** Shorter values are not masked: they would blank out ordinary words of a message. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of a secret value in `text` with `[redacted]`, longest values first. Run it on whole
 * text: a value cut in two (by a truncation before this call) is no longer found, and its first characters leak.
 */
export function redact(text: string, secrets: Iterable<string>): string {
  const values = [...new Set(secrets)]
    .filter((value) => value.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  let result = text;
  for (const value of values) {
    result = result.replaceAll(value, "[redacted]");
  }
  return result;
}
