import { HttpError } from "./http-error.js";

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "payload_too_large", `request body too large: expected at most ${limit} bytes`);
}

/**
 * Reads the raw request body, refusing more than `limit` bytes: a larger `Content-Length` is refused before reading,
 * and the stream is cancelled as soon as the count passes the limit (a missing or false length cannot bypass it).
 *
 * @throws {HttpError} 413 `payload_too_large`.
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    throw tooLarge(limit);
  }
  if (request.body === null) {
    return new Uint8Array(0);
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
