import { type JsonParts, jsonParts, responseOf } from "./json-response.js";

/** Options of {@link HttpError}. */
export interface HttpErrorOptions {
  /** Extra response headers, e.g. `Allow` on a 405. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Extra fields of the JSON body, e.g. `known: [...]` listing valid values. They must be safe to show. */
  details?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * An error that is an HTTP answer: its status, machine code and message are shown to the client as
 * `{ "error": message, "code": code, ...details }`. Throw it from any handler; anything else becomes a 500.
 *
 * @example
 * throw new HttpError(404, "tag_not_found", 'tag "v9.9.9" does not exist in the repository');
 */
export class HttpError extends Error {
  override readonly name = "HttpError";
  readonly status: number;
  /** Stable machine-readable code, e.g. `invalid_signature`. */
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, unknown>>;
  #parts: JsonParts | undefined;

  constructor(status: number, code: string, message: string, options: HttpErrorOptions = {}) {
    // An answer, not a bug: its stack is never shown, and capturing one would cost a refused request more than the
    // rest of its handling (a flood of bad signatures is all refusals).
    const { stackTraceLimit } = Error;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackTraceLimit;
    this.status = status;
    this.code = code;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }

  /** The JSON response for this error; its text is built once, so an error thrown again and again costs no JSON. */
  getResponse(): Response {
    this.#parts ??= {
      ...jsonParts(this.status, { ...this.details, error: this.message, code: this.code }, this.headers),
      code: this.code,
    };
    return responseOf(this.#parts);
  }
}
