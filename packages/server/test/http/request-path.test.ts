import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonResponse } from "../../src/http/json-response.js";
import { requestPath } from "../../src/http/node-request.js";
import { createNodeListener } from "../../src/node-listener.js";

/** The path the runner routes on and the one the URL parser reads, for a raw request target. */
function pathsOf(address: AddressInfo, target: string): Promise<{ path: string; parsed: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port: address.port, path: target, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (part: Buffer) => parts.push(part));
      res.on("end", () => resolve(JSON.parse(Buffer.concat(parts).toString())));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("requestPath", () => {
  let server: Server;
  let address: AddressInfo;

  beforeAll(async () => {
    const listener = createNodeListener({
      fetch: async (request) =>
        jsonResponse(200, { path: requestPath(request), parsed: new URL(request.url).pathname }),
    });
    server = createServer(listener);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    address = server.address() as AddressInfo;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    "/webhook",
    "/webhook?ref=main&x=/a/../b",
    "/deployments/2f0c-Ab_9/cancel",
    "/",
    "//webhook",
    "/iac/../health",
    "/a/./b",
    "/%2e%2e/health",
    "/caf%C3%A9",
    "/a\\b",
    "/percent%20escape",
    '/quote"d',
    "/tilde~",
    "/webhook#fragment",
  ])("reads the path of %j as the URL parser does", async (target) => {
    const { path, parsed } = await pathsOf(address, target);
    expect(path).toBe(parsed);
  });

  it("reads a standard Request's path from its URL", () => {
    expect(requestPath(new Request("http://runner.test/a/../health?x=1"))).toBe("/health");
  });
});
