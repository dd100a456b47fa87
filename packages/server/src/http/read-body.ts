import { payloadTooLarge } from "./body-errors.js";
import { nodeBodyOf } from "./node-request.js";

/**
 * Reads the raw request body, refusing more than `limit` bytes: a larger `Content-Length` is refused before reading,
 * and reading stops as soon as the count passes the limit (a missing or false length cannot bypass it). A request
 * of the Node listener is read straight from its socket, within the server's budget of bytes in flight.
 *
 * @throws {HttpError} 413 `payload_too_large`; from the Node listener also 503 `overloaded` and 400 `incomplete_body`.
 */
export function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const fromNode = nodeBodyOf(request);
  // The Node body's own promise is returned as it is: an async function would wrap it in one more promise.
  return fromNode === undefined ? readStream(request, limit) : fromNode.read(limit);
}

async function readStream(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    throw payloadTooLarge(limit);
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
      throw payloadTooLarge(limit);
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
