import { SettingsError } from "../settings-error.js";

/**
 * The `basePath` option of `createRunner`: `""` (the root) when absent, else a path such as `/iac`: starting with
 * `/`, not ending with one, without empty segments, spaces, `?` or `#`, so every request path is unambiguously
 * inside or outside it.
 *
 * @throws {SettingsError} naming `basePath` when it is none of these.
 */
export function parseBasePath(basePath: string | undefined): string {
  if (basePath === undefined || basePath === "") {
    return "";
  }
  if (!/^(\/[^/\s?#]+)+$/.test(basePath)) {
    throw new SettingsError([
      {
        field: "basePath",
        variable: undefined,
        message: `basePath must be a path like "/iac" (a leading /, no trailing /), received ${JSON.stringify(basePath)}`,
      },
    ]);
  }
  return basePath;
}

/** The path of a request below `basePath` (`/iac/health` → `/health`); undefined when it is outside (`/iacx`). */
export function stripBasePath(basePath: string, path: string): string | undefined {
  if (path === basePath) {
    return "/";
  }
  return path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : undefined;
}
