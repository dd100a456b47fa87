import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getResponse, type RequestHandler } from "msw";

/** msw handlers answering on a real loopback port, so a runner in a child process can reach them. */
export interface ServedHandlers<T> {
  fake: T;
  /** Paths of the requests received, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Serves the handlers of a fake built for `origin` (`http://127.0.0.1:<port>`) over real HTTP. A handler that
 * answers with a network error (a dropped-connection fault) closes the socket, like a broken network.
 */
export async function serveHandlers<T>(
  build: (origin: string) => T,
  handlersOf: (fake: T) => readonly RequestHandler[],
): Promise<ServedHandlers<T>> {
  let handlers: readonly RequestHandler[] = [];
  let origin = "";
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      const method = req.method ?? "GET";
      const url = new URL(req.url ?? "/", origin);
      requests.push(url.pathname);
      const request = new Request(url, {
        method,
        headers: Object.entries(req.headers).flatMap(([name, value]) =>
          typeof value === "string" ? [[name, value] as [string, string]] : [],
        ),
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      try {
        const response = (await getResponse([...handlers], request)) ?? new Response("not found", { status: 404 });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      } catch {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake = build(origin);
  handlers = handlersOf(fake);
  return {
    fake,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
