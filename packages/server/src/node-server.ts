import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  DEFAULT_HEADERS_TIMEOUT_MS,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
} from "./http/front-door-defaults.js";
import { createNodeListener, type NodeListenerOptions } from "./node-listener.js";
import type { Runner } from "./types.js";

/** Options of {@link createNodeServer}: those of the listener, the server's timeouts and its connection cap. */
export interface NodeServerOptions extends NodeListenerOptions {
  /** Time a client has to send the request headers (default 10 s); slower connections are cut. */
  headersTimeoutMs?: number | undefined;
  /** Time a client has to send the whole request, body included (default 30 s); GitHub itself gives up after 10 s. */
  requestTimeoutMs?: number | undefined;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  keepAliveTimeoutMs?: number | undefined;
  /** Connections open at once (default 512); further ones are closed as they arrive. */
  maxConnections?: number | undefined;
  /** How long `close()` waits for in-flight requests before cutting connections (default 10 s). */
  closeTimeoutMs?: number | undefined;
}

/** The runner on `node:http`. */
export interface NodeServer {
  readonly server: Server;
  /** Starts listening; resolves with the bound address (useful with port 0). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Stops accepting connections, closes idle keep-alive connections at once, lets in-flight requests finish (their
   * connections close after the answer), then closes the runner.
   */
  close(): Promise<void>;
}

/**
 * Serves a runner with `node:http` through {@link createNodeListener}, with timeouts and a connection cap so that slow
 * or idle clients cannot hold sockets: headers must arrive within `headersTimeoutMs`, the whole request within
 * `requestTimeoutMs`.
 *
 * @example
 * const node = createNodeServer(await createRunner({ settings }));
 * const address = await node.listen(8080, "0.0.0.0");
 * process.on("SIGTERM", () => void node.close());
 */
export function createNodeServer(runner: Pick<Runner, "fetch" | "close">, options: NodeServerOptions = {}): NodeServer {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeout);
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  const listener = createNodeListener(runner, options);
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  let settled: () => void = () => undefined;

  // One function for every response (its `this`), rather than a closure per request.
  function answered(this: ServerResponse): void {
    inFlight.delete(this);
    if (closing && inFlight.size === 0) {
      settled();
    }
  }

  const server = createServer(
    {
      headersTimeout,
      requestTimeout,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
      // Node checks the two timeouts above on this period (30 s by default, which would let them overrun).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    (req, res) => {
      inFlight.add(res);
      if (closing) {
        res.setHeader("connection", "close");
      }
      // A response closes once: `on` spares the wrapper that `once` allocates.
      res.on("close", answered);
      listener(req, res);
    },
  );
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;

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
      closing = true;
      const drained = new Promise<void>((resolve) => {
        settled = resolve;
      });
      // Answers still to be written ask their clients to go: their connections close once answered.
      for (const res of inFlight) {
        if (!res.headersSent) {
          res.setHeader("connection", "close");
        }
      }
      server.close();
      server.closeIdleConnections();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, closeTimeoutMs);
      });
      await Promise.race([inFlight.size === 0 ? Promise.resolve() : drained, timeout]);
      clearTimeout(timer);
      server.closeAllConnections();
      await runner.close();
    },
  };
}
