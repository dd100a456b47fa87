const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Writes a config key path the way it would be read in code: `services.postgres.vault[0]`, `layers["a/b"]`, the form
 * of every key path in `IacConfigError`, `ConfigProblem` and `CatalogIssue`.
 *
 * @example
 * formatKeyPath(["services", "my.app", "vault", 0]); // 'services["my.app"].vault[0]'
 */
export function formatKeyPath(path: readonly (string | number)[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") {
      text += `[${key}]`;
    } else if (IDENTIFIER.test(key)) {
      text += text === "" ? key : `.${key}`;
    } else {
      text += `[${JSON.stringify(key)}]`;
    }
  }
  return text;
}
