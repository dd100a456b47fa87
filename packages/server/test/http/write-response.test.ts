import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { jsonParts, jsonPartsOf, responseOf } from "../../src/http/json-response.js";
import { writeResponse } from "../../src/http/write-response.js";

describe("writeResponse()", () => {
  let server: Server | undefined;

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  /** Serves `respond` on loopback and returns what a client reads of one request. */
  async function served(respond: () => [Response, boolean]) {
    server = createServer((_req, res) => {
      const [response, close] = respond();
      void writeResponse(res, response, close);
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const answer = await fetch(`http://127.0.0.1:${port}/`);
    return { port, status: answer.status, headers: answer.headers, text: await answer.text() };
  }

  it("writes a JSON answer from its parts, the length counted in bytes, its header list built once", async () => {
    const parts = jsonParts(401, { error: "signature ne correspond pas — ✗" }, { "www-authenticate": "Signature" });
    const first = await served(() => [responseOf(parts), false]);
    const list = parts.wire;
    expect(list).toBeDefined();
    const again = await fetch(`http://127.0.0.1:${first.port}/`).then((r) => r.text());
    expect(parts.wire).toBe(list);
    expect(again).toBe(first.text);
    expect(first.status).toBe(401);
    expect(JSON.parse(first.text)).toEqual({ error: "signature ne correspond pas — ✗" });
    expect(Number(first.headers.get("content-length"))).toBe(Buffer.byteLength(first.text));
    expect(first.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("www-authenticate")).toBe("Signature");
    expect(first.headers.get("connection")).toBe("keep-alive");
  });

  it("asks the client to reconnect when the request body was left unread, without changing the shared list", async () => {
    const parts = jsonParts(415, { error: "unsupported" });
    const answer = await served(() => [responseOf(parts), true]);
    expect(answer.headers.get("connection")).toBe("close");
    expect(parts.wire).not.toContain("connection");
  });

  it("writes any other Response whole, with its own headers", async () => {
    const answer = await served(() => [new Response("plain", { status: 418, headers: { "x-kind": "teapot" } }), false]);
    expect([answer.status, answer.text, answer.headers.get("x-kind")]).toEqual([418, "plain", "teapot"]);
    expect(jsonPartsOf(new Response("plain"))).toBeUndefined();
  });
});
