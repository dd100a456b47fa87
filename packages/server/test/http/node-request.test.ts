import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createBodyBudget } from "../../src/http/body-budget.js";
import { HttpError } from "../../src/http/http-error.js";
import { NodeBody } from "../../src/http/node-body.js";
import { createNodeRequest, isNodeRequest, nodeBodyOf } from "../../src/http/node-request.js";

interface Incoming {
  method?: string;
  url?: string;
  rawHeaders?: string[];
  body?: string;
}

/** A real Node request as the server would parse it, with its body already received. */
function incoming({ method, url, rawHeaders = [], body }: Incoming): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  // Unset method and url are what Node gives a request it did not parse; the test sets them as the parser would.
  req.method = method as string;
  req.url = url as string;
  req.rawHeaders = rawHeaders;
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toLowerCase();
    const value = rawHeaders[index + 1] as string;
    const known = req.headers[name];
    req.headers[name] =
      name === "set-cookie"
        ? [...((known as string[] | undefined) ?? []), value]
        : known === undefined
          ? value
          : `${known}, ${value}`;
  }
  if (body !== undefined) {
    req.push(Buffer.from(body));
  }
  req.push(null);
  return req;
}

function requestOf(given: Incoming): Request {
  const req = incoming(given);
  return createNodeRequest(req, new NodeBody(req, new ServerResponse(req), createBodyBudget(1_000_000), 1_000_000));
}

function httpErrorOf(run: () => unknown): HttpError {
  try {
    run();
  } catch (error) {
    if (error instanceof HttpError) {
      return error;
    }
    throw error;
  }
  throw new Error("expected an HttpError");
}

describe("createNodeRequest", () => {
  it("reads the method and path under a fixed origin, whatever the Host header says", () => {
    const request = requestOf({ method: "POST", url: "/deploy?wait=1", rawHeaders: ["Host", "evil.example"] });
    expect(request).toBeInstanceOf(Request);
    expect([request.method, request.url]).toEqual(["POST", "http://runner.invalid/deploy?wait=1"]);
    expect(new URL(request.url).pathname).toBe("/deploy");
  });

  it("takes GET and / for a request without method or target, and an absolute target as it is", () => {
    const bare = requestOf({});
    expect([bare.method, bare.url]).toEqual(["GET", "http://runner.invalid/"]);
    expect(requestOf({ method: "GET", url: "http://other.test/health?x=1" }).url).toBe("http://other.test/health?x=1");
    // A path that looks protocol-relative is still a path, not another host.
    expect(requestOf({ method: "GET", url: "//other.test/health" }).url).toBe(
      "http://runner.invalid//other.test/health",
    );
  });

  it("refuses a target that is not a URL with 400 bad_request", () => {
    const error = httpErrorOf(() => requestOf({ method: "GET", url: "http://[" }));
    expect([error.status, error.code, error.message]).toEqual([
      400,
      "bad_request",
      "the request target is not a valid URL",
    ]);
  });

  it.each(["CONNECT", "TRACE", "track"])("refuses %s, which the fetch API cannot carry, with 405", (method) => {
    const error = httpErrorOf(() => requestOf({ method, url: "/" }));
    expect([error.status, error.code, error.message]).toEqual([
      405,
      "method_not_allowed",
      `method ${JSON.stringify(method)} not allowed`,
    ]);
  });

  it("reads headers by any case from Node's own, joining repeated ones", () => {
    const { headers } = requestOf({
      method: "POST",
      url: "/",
      rawHeaders: [
        "Content-Type",
        "application/json",
        "X-Tag",
        "a",
        "X-Tag",
        "b",
        "Set-Cookie",
        "c=1",
        "Set-Cookie",
        "d=2",
      ],
    });
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("X-TAG")).toBe("a, b");
    expect(headers.get("set-cookie")).toBe("c=1, d=2");
    expect(headers.get("x-missing")).toBeNull();
    expect([headers.has("Content-Type"), headers.has("x-missing")]).toEqual([true, false]);
  });

  it("answers anything else of the headers with a real Headers of what was received, in order", () => {
    const { headers } = requestOf({ url: "/", rawHeaders: ["X-B", "2", "X-A", "1", "X-A", "3"] });
    expect([...headers.entries()]).toEqual([
      ["x-a", "1, 3"],
      ["x-b", "2"],
    ]);
    expect(headers).toBeInstanceOf(Headers);
  });

  it("answers what it does not build itself with a real Request, reading the body from Node", async () => {
    const post = requestOf({ method: "POST", url: "/sync", rawHeaders: ["Content-Type", "text/plain"], body: "hello" });
    expect(post.headers.get("content-type")).toBe("text/plain");
    expect(await post.clone().text()).toBe("hello");
    expect(post.signal.aborted).toBe(false);
    // The real Request is built once.
    expect(post.signal).toBe(post.signal);
    const get = requestOf({ method: "GET", url: "/health", body: "ignored" });
    expect(get.body).toBeNull();
    const head = requestOf({ method: "HEAD", url: "/health" });
    expect(head.body).toBeNull();
  });

  it("is recognised as the Node listener's request, with its body; a standard Request is not", () => {
    const req = incoming({ method: "POST", url: "/", body: "x" });
    const body = new NodeBody(req, new ServerResponse(req), createBodyBudget(10), 10);
    const request = createNodeRequest(req, body);
    expect([isNodeRequest(request), nodeBodyOf(request)]).toEqual([true, body]);
    const standard = new Request("http://localhost/");
    expect([isNodeRequest(standard), nodeBodyOf(standard)]).toEqual([false, undefined]);
  });
});
