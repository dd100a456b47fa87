/** The `errors` strings of a Vault error body; `[]` when the body has none. */
export function errorsOf(body: unknown): string[] {
  if (typeof body !== "object" || body === null || !("errors" in body) || !Array.isArray(body.errors)) {
    return [];
  }
  return body.errors.filter((item: unknown): item is string => typeof item === "string");
}
