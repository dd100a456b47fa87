/** Thrown (by the client's `fetch`) when no response arrived within `timeoutMs`. */
export class RequestTimeoutError extends Error {
  override readonly name = "RequestTimeoutError";
  readonly timeoutMs: number;

  constructor(request: Request, timeoutMs: number) {
    const url = new URL(request.url);
    // Only origin and path: query strings may carry ids the caller would rather not see in logs.
    super(
      `[@iac/sdk] ${request.method} ${url.origin}${url.pathname} timed out: expected a response within ${timeoutMs} ms`,
    );
    this.timeoutMs = timeoutMs;
  }
}
