/**
 * Returns `url` without trailing slashes and with exactly one `suffix` (`"/api"`, `"/v1"`), so users may write
 * the server address either way. `name` only labels the error for an invalid URL.
 */
export function normalizeBaseUrl(name: string, url: string, suffix: string): string {
  let parsed: URL | undefined;
  try {
    parsed = typeof url === "string" ? new URL(url) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw new TypeError(
      `[@iac/sdk] invalid ${name}: expected an absolute http(s) URL, received ${JSON.stringify(url)}`,
    );
  }
  let base = url.trim().replace(/\/+$/, "");
  if (base.endsWith(suffix)) {
    base = base.slice(0, -suffix.length).replace(/\/+$/, "");
  }
  return `${base}${suffix}`;
}
