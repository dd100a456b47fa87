/**
 * A command failed in a way the user can act on: `message` becomes the one `iac-runner: <message>` line, `details`
 * are shown with `--verbose` only, and `json` is the document printed on stdout with `--json`.
 */
export class CliError extends Error {
  override readonly name: string = "CliError";
  readonly details: readonly string[];
  readonly json: Readonly<Record<string, unknown>>;

  constructor(
    message: string,
    options: { details?: readonly string[] | undefined; json?: Readonly<Record<string, unknown>> | undefined } = {},
  ) {
    super(message);
    this.details = options.details ?? [];
    this.json = options.json ?? { error: message };
  }
}
