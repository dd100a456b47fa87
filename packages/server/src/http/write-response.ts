import type { ServerResponse } from "node:http";
import { jsonPartsOf } from "./json-response.js";

async function writeStandardResponse(
  res: ServerResponse,
  response: Response,
  close: Readonly<Record<string, string>>,
): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...Object.fromEntries(response.headers), ...close });
  res.end(body);
}

/**
 * Writes a web `Response` to a Node response. The runner's own JSON answers are written from their parts, at once;
 * any other response is read whole first (the runner never streams), which is when a promise is returned.
 * `closeConnection` asks the client to reconnect, for a request whose body was left unread.
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
  const length = Buffer.byteLength(parts.text);
  // The added headers come first: V8 gives an object spread and then extended a new hidden class on every call, and
  // Node's loop over the headers of such an object cost more than the rest of writing the answer.
  res.writeHead(
    parts.status,
    closeConnection
      ? { connection: "close", "content-length": length, ...parts.headers }
      : { "content-length": length, ...parts.headers },
  );
  res.end(parts.text);
  return undefined;
}
