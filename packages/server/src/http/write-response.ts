import type { ServerResponse } from "node:http";
import { type JsonParts, jsonPartsOf } from "./json-response.js";

async function writeStandardResponse(
  res: ServerResponse,
  response: Response,
  close: Readonly<Record<string, string>>,
): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...close });
  res.end(body);
}

/** The header list of a JSON answer, built on its first write and kept with its parts. */
function wireHeaders(parts: JsonParts): (string | number)[] {
  if (parts.wire === undefined) {
    const list: (string | number)[] = ["content-length", Buffer.byteLength(parts.text)];
    for (const [name, value] of Object.entries(parts.headers)) {
      list.push(name, value);
    }
    parts.wire = list;
  }
  return parts.wire;
}

/**
 * Writes a web `Response` to a Node response. The runner's own JSON answers are written from their parts, at once,
 * with a header list (which Node reads without the key enumeration an object needs); any other response is read
 * whole first (the runner never streams), which is when a promise is returned. `closeConnection` asks the client to
 * reconnect, for a request whose body was left unread.
 */
export function writeResponse(
  res: ServerResponse,
  response: Response,
  closeConnection: boolean,
): Promise<void> | undefined {
  const parts = jsonPartsOf(response);
  if (parts === undefined) {
    return writeStandardResponse(res, response, closeConnection ? { connection: "close" } : {});
  }
  const headers = wireHeaders(parts);
  res.writeHead(parts.status, closeConnection ? ["connection", "close", ...headers] : headers);
  res.end(parts.text);
  return undefined;
}
