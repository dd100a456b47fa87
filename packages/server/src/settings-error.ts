/** A configuration variable is missing or invalid. The message is one line that names the variable. */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
  /** The environment variable at fault, e.g. `WEBHOOK_SECRET`. */
  readonly variable: string;

  constructor(variable: string, problem: string) {
    super(`[@iac/server] invalid configuration: ${variable} ${problem}`);
    this.variable = variable;
  }
}
