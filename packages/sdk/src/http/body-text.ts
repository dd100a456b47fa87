const MAX_LENGTH = 200;

/**
 * A short, single-line excerpt of a non-JSON error body (e.g. a proxy's HTML page), or `undefined` when empty.
 */
export function bodyText(error: unknown): string | undefined {
  if (typeof error !== "string") {
    return undefined;
  }
  const text = error.replace(/\s+/g, " ").trim();
  if (text === "") {
    return undefined;
  }
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
}
