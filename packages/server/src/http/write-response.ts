import type { ServerResponse } from "node:http";
import { jsonPartsOf } from "./json-response.js";

/**
 * Writes a web `Response` to a Node response. The runner's own JSON answers are written from their parts; any other
 * response is read whole (the runner never streams). `closeConnection` asks the client to reconnect, for a request
 * whose body was left unread.
 */
export async function writeResponse(res: ServerResponse, response: Response, closeConnection: boolean): Promise<void> {
  const close = closeConnection ? { connection: "close" } : {};
  const parts = jsonPartsOf(response);
  if (parts !== undefined) {
    res.writeHead(parts.status, { ...parts.headers, ...close, "content-length": Buffer.byteLength(parts.text) });
    res.end(parts.text);
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...close });
  res.end(body);
}
