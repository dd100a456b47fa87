import { HttpError } from "./http-error.js";

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Decodes a UTF-8 body and parses it as JSON.
 *
 * @throws {HttpError} 400 `invalid_json` for bytes that are not UTF-8 or text that is not JSON.
 */
export function parseJsonBody(body: Uint8Array | string): unknown {
  try {
    return JSON.parse(typeof body === "string" ? body : decoder.decode(body));
  } catch {
    throw new HttpError(400, "invalid_json", "request body is not valid JSON");
  }
}
