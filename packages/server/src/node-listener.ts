import type { IncomingMessage, ServerResponse } from "node:http";
import { createBodyBudget } from "./http/body-budget.js";
import { DEFAULT_BODY_BUDGET_BYTES, DEFAULT_MAX_BODY_BYTES } from "./http/front-door-defaults.js";
import { HttpError } from "./http/http-error.js";
import { NodeBody } from "./http/node-body.js";
import { createNodeRequest } from "./http/node-request.js";
import { writeResponse } from "./http/write-response.js";
import { noopLogger } from "./logging/noop-logger.js";
import type { Logger, Runner } from "./types.js";

/** Options of {@link createNodeListener}. */
export interface NodeListenerOptions {
  /** Hard cap on any request body (default 25 MiB); routes apply their own lower limits while reading. */
  maxBodyBytes?: number | undefined;
  /**
   * Request body bytes held at once beyond the first 64 KiB of each body (default 64 MiB): past it, a request whose
   * body needs more is answered 503 with `Retry-After`, so no flood of large unsigned bodies can exhaust memory. The
   * first 64 KiB of each body are bounded by the number of connections (see `maxConnections` of `createNodeServer`).
   */
  bodyBudgetBytes?: number | undefined;
  logger?: Logger | undefined;
}

/** A `node:http` request listener. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * The runner as a `(req, res)` listener for `node:http`, Express, Fastify (`server.on("request")`) or any framework
 * that hands over Node requests. Each request reaches `runner.fetch` as a `Request` that copies nothing until it is
 * read; its body is read only when a route asks for it, within the route's limit and a budget of bytes in flight
 * shared by every request of this listener. Errors never escape as HTML: anything unexpected answers a JSON 500.
 *
 * @example
 * const listener = createNodeListener(await createRunner({ settings }));
 * app.use("/iac", (req, res) => listener(req, res)); // Express: the runner sees paths below /iac
 */
export function createNodeListener(runner: Pick<Runner, "fetch">, options: NodeListenerOptions = {}): NodeListener {
  const cap = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const budget = createBodyBudget(options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES);
  const logger = options.logger ?? noopLogger;

  const errorResponse = (error: unknown): Response => {
    if (error instanceof HttpError) {
      return error.getResponse();
    }
    logger.error({ err: error }, "request failed outside the runner");
    return new HttpError(500, "internal_error", "internal error").getResponse();
  };

  // One async function per request, which never rejects: nothing is left to a .catch of its own.
  return async (req, res) => {
    try {
      let response: Response;
      try {
        response = await runner.fetch(createNodeRequest(req, new NodeBody(req, res, budget, cap)));
      } catch (error) {
        response = errorResponse(error);
      }
      // A body left unread (a request refused on its headers) is not drained: the connection closes instead.
      const writing = writeResponse(res, response, !req.complete);
      if (writing !== undefined) {
        await writing;
      }
    } catch (error) {
      logger.error({ err: error }, "could not write the response");
      res.destroy();
    }
  };
}
