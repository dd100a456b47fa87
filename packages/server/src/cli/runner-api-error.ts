import { CliError } from "./cli-error.js";

/** The runner answered with an HTTP error: its `error` and `code`, or a note that the body was not a runner error. */
export class RunnerApiError extends CliError {
  override readonly name: string = "RunnerApiError";
  readonly status: number;
  /** The runner's machine code (`tag_not_found`, `invalid_signature`, ...), or `http_<status>` for a foreign body. */
  readonly code: string;

  constructor(url: string, status: number, body: unknown, text: string) {
    const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    const { error, code } = fields;
    const isRunnerError = typeof error === "string" && typeof code === "string";
    super(
      isRunnerError
        ? `${error} (${code}, HTTP ${status})`
        : `${url} answered HTTP ${status} without a runner error (is --url the runner?)`,
      {
        details: [`${status} from ${url}`, text.slice(0, 2_000)],
        json: isRunnerError ? { ...fields, httpStatus: status } : { error: `HTTP ${status}`, httpStatus: status },
      },
    );
    this.status = status;
    this.code = isRunnerError ? code : `http_${status}`;
  }
}
