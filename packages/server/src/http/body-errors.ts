import { HttpError } from "./http-error.js";

export function payloadTooLarge(limit: number): HttpError {
  return new HttpError(413, "payload_too_large", `request body too large: expected at most ${limit} bytes`);
}

/** The server holds as many request bytes as it may: the client should retry a little later. */
export function overloaded(): HttpError {
  return new HttpError(503, "overloaded", "too many request bytes in flight; try again shortly", {
    headers: { "retry-after": "5" },
  });
}

export function incompleteBody(): HttpError {
  return new HttpError(400, "incomplete_body", "the request body ended before it was complete");
}
