/**
 * Thrown for an `iac.config.yaml` that cannot be used: bad YAML, a value of the wrong type, an unknown key, or a
 * setting that does not fit the repository. `keyPath` locates the problem (`services.postgres.vault[0]`, `""` for the
 * whole file).
 */
export class IacConfigError extends Error {
  override readonly name = "IacConfigError";
  readonly keyPath: string;

  constructor(keyPath: string, problem: string) {
    super(`[@iac/sync] invalid iac.config.yaml${keyPath === "" ? "" : ` at ${keyPath}`}: ${problem}`);
    this.keyPath = keyPath;
  }
}
