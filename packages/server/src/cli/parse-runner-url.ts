import { UsageError } from "./cli-io.js";

/**
 * The base URL of a runner from `--url`: `http://` or `https://`, without query or fragment, and without the trailing
 * slash, so endpoint paths can be appended (a runner behind a path prefix keeps its prefix).
 *
 * @throws {UsageError} for anything else.
 */
export function parseRunnerUrl(value: string | undefined, usage: string): string {
  if (value === undefined || value.trim() === "") {
    throw new UsageError("missing --url <runner>, e.g. --url https://iac.example.com", usage);
  }
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new UsageError(`--url must be an http:// or https:// URL, received ${JSON.stringify(value)}`, usage);
  }
  if (url.search !== "" || url.hash !== "" || url.username !== "" || url.password !== "") {
    throw new UsageError(
      `--url must be the runner's base URL without credentials, query or fragment, received ${JSON.stringify(url.origin + url.pathname)}`,
      usage,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
