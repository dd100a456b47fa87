import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readBody } from "../src/http/read-body.js";
import { toErrorResponse } from "../src/http/to-error-response.js";
import { noopLogger } from "../src/logging/noop-logger.js";
import { createNodeListener } from "../src/node-listener.js";
import { createNodeServer, type NodeServer } from "../src/node-server.js";
import type { Runner } from "../src/types.js";

/** A runner that echoes method, path, a header and the byte count of the body. */
function echoRunner(onRequest?: () => Promise<void>): Pick<Runner, "fetch" | "close"> & { closed: boolean } {
  const runner = {
    closed: false,
    fetch: async (request: Request) => {
      try {
        await onRequest?.();
        const body = await readBody(request, Number.MAX_SAFE_INTEGER);
        return Response.json({
          method: request.method,
          path: new URL(request.url).pathname,
          event: request.headers.get("x-github-event"),
          bytes: body.byteLength,
        });
      } catch (error) {
        return toErrorResponse(error, noopLogger);
      }
    },
    async close() {
      runner.closed = true;
    },
  };
  return runner;
}

function send(
  address: AddressInfo,
  options: { method?: string; path?: string; headers?: Record<string, string>; chunks?: Buffer[] },
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: address.port,
        method: options.method ?? "GET",
        path: options.path ?? "/",
        headers: options.headers,
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString() }),
        );
      },
    );
    req.on("error", reject);
    for (const chunk of options.chunks ?? []) {
      req.write(chunk);
    }
    req.end();
  });
}

describe("createNodeListener", () => {
  it("serves the runner from a plain node:http server, as Express or Fastify would call it", async () => {
    const server = createServer(createNodeListener(echoRunner()));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await send(server.address() as AddressInfo, {
        method: "POST",
        path: "/webhook",
        headers: { "x-github-event": "push" },
        chunks: [Buffer.from("12345")],
      });
      expect(JSON.parse(response.body)).toEqual({ method: "POST", path: "/webhook", event: "push", bytes: 5 });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("answers 500, not a hang, when a body parser of the host framework read the body first", async () => {
    const listener = createNodeListener(echoRunner());
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => listener(req, res));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await send(server.address() as AddressInfo, { method: "POST", chunks: [Buffer.from("{}")] });
      expect([response.status, JSON.parse(response.body)]).toEqual([
        500,
        { error: "internal error", code: "internal_error" },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("hands over a Request that behaves as a standard one beyond the few fields the runner reads", async () => {
    const runner = {
      fetch: async (request: Request) =>
        Response.json({
          instance: request instanceof Request,
          header: request.headers.get("X-Custom"),
          has: [request.headers.has("x-custom"), request.headers.has("x-missing")],
          pairs: [...request.headers].filter(([name]) => name.startsWith("x-")),
          text: await request.clone().text(),
          signal: request.signal instanceof AbortSignal,
        }),
    };
    const server = createServer(createNodeListener(runner));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const response = await send(server.address() as AddressInfo, {
        method: "POST",
        headers: { "x-custom": "one", "x-other": "two" },
        chunks: [Buffer.from("hello")],
      });
      expect(JSON.parse(response.body)).toEqual({
        instance: true,
        header: "one",
        has: [true, false],
        pairs: [
          ["x-custom", "one"],
          ["x-other", "two"],
        ],
        text: "hello",
        signal: true,
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("createNodeServer", () => {
  let node: NodeServer | undefined;

  afterEach(async () => {
    await node?.close();
    node = undefined;
  });

  it("turns node requests into web requests and writes the response back", async () => {
    node = createNodeServer(echoRunner());
    const address = await node.listen(0, "127.0.0.1");
    const response = await send(address, {
      method: "POST",
      path: "/webhook?x=1",
      headers: { "x-github-event": "ping", "content-type": "application/json" },
      chunks: [Buffer.from('{"a":1}')],
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ method: "POST", path: "/webhook", event: "ping", bytes: 7 });
  });

  it("answers 413 for a declared Content-Length over the cap", async () => {
    node = createNodeServer(echoRunner(), { maxBodyBytes: 10 });
    const address = await node.listen(0, "127.0.0.1");
    const response = await send(address, {
      method: "POST",
      headers: { "content-length": "20" },
      chunks: [Buffer.alloc(20)],
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ code: "payload_too_large" });
  });

  it("answers 413 for a chunked body that passes the cap while streaming, and closes the connection", async () => {
    node = createNodeServer(echoRunner(), { maxBodyBytes: 1_000 });
    const address = await node.listen(0, "127.0.0.1");
    const response = await send(address, {
      method: "POST",
      headers: { "transfer-encoding": "chunked" },
      chunks: Array.from({ length: 10 }, () => Buffer.alloc(400)),
    });
    expect(response.status).toBe(413);
    expect(response.headers).toMatchObject({ connection: "close" });
  });

  it("answers a JSON 500 when the runner itself throws", async () => {
    const runner = echoRunner();
    node = createNodeServer({ ...runner, fetch: () => Promise.reject(new Error("boom")) });
    const address = await node.listen(0, "127.0.0.1");
    const response = await send(address, {});
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body)).toEqual({ error: "internal error", code: "internal_error" });
  });

  it("answers a JSON 405, not a 500, for a method the fetch API refuses to represent", async () => {
    node = createNodeServer(echoRunner());
    const address = await node.listen(0, "127.0.0.1");
    const response = await send(address, { method: "TRACE", path: "/health" });
    expect(response.status).toBe(405);
    expect(JSON.parse(response.body)).toMatchObject({ code: "method_not_allowed" });
  });

  it("lets in-flight requests finish on close, then closes the runner", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const runner = echoRunner(async () => {
      entered();
      await gate;
    });
    const server = createNodeServer(runner);
    const address = await server.listen(0, "127.0.0.1");
    const pending = send(address, { path: "/slow" });
    await inside;
    const closing = server.close();
    release();
    const response = await pending;
    await closing;
    expect(response.status).toBe(200);
    expect(runner.closed).toBe(true);
  });
});
