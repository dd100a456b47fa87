import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpError } from "./http/http-error.js";
import { noopLogger } from "./logging/noop-logger.js";
import type { Logger, Runner } from "./types.js";

/** Options of {@link createNodeServer}. */
export interface NodeServerOptions {
  /** Hard cap on any request body, enforced while streaming (default 25 MiB); routes apply their own lower limits. */
  maxBodyBytes?: number | undefined;
  /** How long `close()` waits for in-flight requests before cutting connections (default 10 s). */
  closeTimeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

/** The runner on `node:http`. */
export interface NodeServer {
  readonly server: Server;
  /** Starts listening; resolves with the bound address (useful with port 0). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting connections, lets in-flight requests finish, then closes the runner. */
  close(): Promise<void>;
}

function requestBody(req: IncomingMessage, limit: number, state: { complete: boolean }): ReadableStream<Uint8Array> {
  let received = 0;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          received += chunk.byteLength;
          if (received > limit) {
            req.pause();
            controller.error(
              new HttpError(413, "payload_too_large", `request body too large: expected at most ${limit} bytes`),
            );
            return;
          }
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) {
            req.pause();
          }
        });
        req.on("end", () => {
          state.complete = true;
          controller.close();
        });
        req.on("error", (error) => controller.error(error));
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        req.pause();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}

function toRequest(req: IncomingMessage, limit: number, state: { complete: boolean }): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      headers.append(name, item);
    }
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  state.complete = !hasBody;
  // Only the path is used for routing; the Host header is not trusted for anything.
  const url = new URL(req.url ?? "/", "http://runner.invalid");
  return new Request(url, {
    method,
    headers,
    ...(hasBody ? { body: requestBody(req, limit, state), duplex: "half" } : {}),
  } as RequestInit);
}

async function send(res: ServerResponse, response: Response, closeConnection: boolean): Promise<void> {
  // When the rest of the body was never read, close the connection instead of draining it for keep-alive.
  const headers = { ...Object.fromEntries(response.headers), ...(closeConnection ? { connection: "close" } : {}) };
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Serves a runner with `node:http`: each request becomes a web `Request` whose body streams with a hard size cap,
 * and each `Response` is written back. Errors never escape as HTML: anything unexpected answers a JSON 500.
 *
 * @example
 * const node = createNodeServer(await createRunner({ settings }));
 * const address = await node.listen(8080, "0.0.0.0");
 * process.on("SIGTERM", () => void node.close());
 */
export function createNodeServer(runner: Pick<Runner, "fetch" | "close">, options: NodeServerOptions = {}): NodeServer {
  const limit = options.maxBodyBytes ?? 25 * 1024 * 1024;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const logger = options.logger ?? noopLogger;
  const inFlight = new Set<Promise<void>>();

  const server = createServer((req, res) => {
    const state = { complete: false };
    const handled = (async () => {
      let response: Response;
      let request: Request;
      try {
        request = toRequest(req, limit, state);
      } catch {
        // The fetch API refuses some methods outright (TRACE, TRACK): no route serves them.
        const method = JSON.stringify(req.method ?? "");
        response = new HttpError(405, "method_not_allowed", `method ${method} not allowed`).getResponse();
        await send(res, response, true);
        return;
      }
      try {
        response = await runner.fetch(request);
      } catch (error) {
        logger.error({ err: error }, "request failed outside the runner");
        response = new HttpError(500, "internal_error", "internal error").getResponse();
      }
      await send(res, response, !state.complete);
    })().catch((error: unknown) => {
      logger.error({ err: error }, "could not write the response");
      res.destroy();
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, closeTimeoutMs);
      });
      await Promise.race([Promise.all([...inFlight]).then(() => closed), timeout]);
      clearTimeout(timer);
      server.closeAllConnections();
      await runner.close();
    },
  };
}
