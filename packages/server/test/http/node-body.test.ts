import { IncomingMessage, ServerResponse } from "node:http";
import { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { createBodyBudget } from "../../src/http/body-budget.js";
import { NodeBody } from "../../src/http/node-body.js";

const MiB = 1024 * 1024;

/** A request whose client is gone: its socket was destroyed before anything asked for the body. */
function abandonedRequest(headers: Record<string, string>): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.headers = headers;
  req.destroy();
  return req;
}

describe("NodeBody", () => {
  it("refuses at once the body of a client that went away, instead of waiting for events that never come", async () => {
    const req = abandonedRequest({ "content-length": "10" });
    const body = new NodeBody(req, new ServerResponse(req), createBodyBudget(MiB), MiB);
    await expect(body.read(MiB)).rejects.toMatchObject({ status: 400, code: "incomplete_body" });
  });

  it("counts a body larger than the whole budget as too large (413), naming the largest it can read", async () => {
    const req = new IncomingMessage(new Socket());
    req.headers = { "content-length": String(2 * MiB) };
    const body = new NodeBody(req, new ServerResponse(req), createBodyBudget(MiB), 25 * MiB);
    await expect(body.read(25 * MiB)).rejects.toMatchObject({
      status: 413,
      code: "payload_too_large",
      message: `request body too large: expected at most ${MiB + 64 * 1024} bytes`,
    });
  });
});
