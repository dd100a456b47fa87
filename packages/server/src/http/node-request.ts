import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";
import { delegateToStandard } from "./lazy-standard.js";
import type { NodeBody } from "./node-body.js";

/** The fetch API refuses these methods outright; no route could serve them. */
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
/** Only the path is used for routing; the Host header is not trusted for anything. */
const ORIGIN = "http://runner.invalid";
/**
 * A path the URL parser leaves as it is: no dot segments, percent escapes, backslashes or characters it would escape.
 * Such a path is the request's `pathname` without parsing the URL; any other is parsed.
 */
const PLAIN_PATH = /^\/[\w/-]*$/;

/** The path of a request target (`/webhook?x=1` → `/webhook`) if it is plain, else undefined. */
function plainPath(target: string): string | undefined {
  const query = target.indexOf("?");
  const path = query === -1 ? target : target.slice(0, query);
  return PLAIN_PATH.test(path) ? path : undefined;
}

/** The request's headers as a real `Headers`, in the order received. */
function standardHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    headers.append(raw[index] as string, raw[index + 1] as string);
  }
  return headers;
}

/** `Headers` whose `get` and `has` read Node's parsed headers; anything else is answered by a real `Headers`. */
class NodeHeaders {
  readonly #req: IncomingMessage;
  #real: Headers | undefined;

  constructor(req: IncomingMessage) {
    this.#req = req;
  }

  get(name: string): string | null {
    const value = this.#value(name);
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }

  has(name: string): boolean {
    return this.#value(name) !== undefined;
  }

  #value(name: string): string | string[] | undefined {
    // Node's keys are lower case, as are the names the runner asks for: lower-casing the name is only needed when
    // the name as given is not found (a name with capitals can never match by mistake).
    const headers = this.#req.headers;
    return headers[name] ?? headers[name.toLowerCase()];
  }

  static materialize(self: NodeHeaders): Headers {
    self.#real ??= standardHeaders(self.#req);
    return self.#real;
  }
}

delegateToStandard(NodeHeaders.prototype, Headers, NodeHeaders.materialize);

/**
 * A `Request` over a Node request that builds only what is read: the method and URL are plain strings, the headers
 * are read from Node's own, the body is read by `readBody` straight from the socket (see {@link nodeBodyOf}), and
 * anything else (`signal`, `clone()`, ...) is answered by a real `Request` built on first use.
 */
class NodeRequest {
  readonly method: string;
  readonly url: string;
  readonly #req: IncomingMessage;
  readonly #body: NodeBody;
  readonly #path: string | undefined;
  #headers: Headers | undefined;
  #real: Request | undefined;

  constructor(req: IncomingMessage, body: NodeBody) {
    this.method = req.method ?? "GET";
    const target = req.url ?? "/";
    const origin = target.startsWith("/");
    this.url = origin ? `${ORIGIN}${target}` : new URL(target, ORIGIN).href;
    this.#path = origin ? plainPath(target) : undefined;
    this.#req = req;
    this.#body = body;
  }

  static path(self: NodeRequest): string | undefined {
    return self.#path;
  }

  get headers(): Headers {
    this.#headers ??= new NodeHeaders(this.#req) as unknown as Headers;
    return this.#headers;
  }

  static body(self: NodeRequest): NodeBody {
    return self.#body;
  }

  static materialize(self: NodeRequest): Request {
    if (self.#real === undefined) {
      const hasBody = self.method !== "GET" && self.method !== "HEAD";
      const body = self.#body;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          controller.enqueue(await body.read(Number.POSITIVE_INFINITY));
          controller.close();
        },
      });
      self.#real = new Request(self.url, {
        method: self.method,
        headers: standardHeaders(self.#req),
        ...(hasBody ? { body: stream, duplex: "half" } : {}),
      } as RequestInit);
    }
    return self.#real;
  }
}

delegateToStandard(NodeRequest.prototype, Request, NodeRequest.materialize);

/**
 * The web `Request` of a Node request.
 *
 * @throws {HttpError} 405 for a method the fetch API cannot represent, 400 for a request target that is not a URL.
 */
export function createNodeRequest(req: IncomingMessage, body: NodeBody): Request {
  if (FORBIDDEN_METHODS.has((req.method ?? "").toUpperCase())) {
    throw new HttpError(405, "method_not_allowed", `method ${JSON.stringify(req.method)} not allowed`);
  }
  try {
    return new NodeRequest(req, body) as unknown as Request;
  } catch {
    throw new HttpError(400, "bad_request", "the request target is not a valid URL");
  }
}

/** The Node body behind a request made by {@link createNodeRequest}, undefined for any other request. */
export function nodeBodyOf(request: Request): NodeBody | undefined {
  return request instanceof NodeRequest ? NodeRequest.body(request) : undefined;
}

/** The path of a request, as `new URL(request.url).pathname` reads it (without parsing when the listener could). */
export function requestPath(request: Request): string {
  return (request instanceof NodeRequest ? NodeRequest.path(request) : undefined) ?? new URL(request.url).pathname;
}

/** Whether the request came from the Node listener (which writes the runner's own responses directly). */
export function isNodeRequest(request: Request): boolean {
  return request instanceof NodeRequest;
}
