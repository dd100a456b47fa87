/**
 * openapi-fetch path serializer for Vault: mounts and secret paths contain `/`, so each segment is encoded on its
 * own (`platform/staging/db x` → `platform/staging/db%20x`) instead of turning the slashes into `%2F`.
 * Leading, trailing and repeated slashes are dropped; `.` and `..` segments are rejected because URL
 * normalisation would silently point the request at another path.
 */
export function encodeVaultPath(pathname: string, params: Record<string, unknown>): string {
  return pathname.replace(/\{([^{}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== "string" && typeof value !== "number") {
      throw new TypeError(`[@iac/sdk] missing path parameter ${name}: expected a string, received ${typeof value}`);
    }
    const segments = String(value)
      .split("/")
      .filter((segment) => segment !== "");
    if (segments.length === 0 || segments.some((segment) => segment === "." || segment === "..")) {
      throw new TypeError(
        `[@iac/sdk] invalid path parameter ${name}: expected a path of non-empty segments other than "." and "..", received ${JSON.stringify(value)}`,
      );
    }
    return segments.map(encodeURIComponent).join("/");
  });
}
