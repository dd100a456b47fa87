import { describe, expect, it } from "vitest";
import { jsonPartsOf, jsonResponse, standardResponse } from "../../src/http/json-response.js";

describe("jsonResponse", () => {
  it("reads as a standard Response with the JSON body, status and headers", async () => {
    const response = jsonResponse(409, { code: "conflict" }, { "retry-after": "5" });
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.ok]).toEqual([409, false]);
    expect(Object.fromEntries(response.headers)).toEqual({
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "retry-after": "5",
    });
    expect(await response.json()).toEqual({ code: "conflict" });
  });

  it("exposes its parts to the Node listener and nothing for other responses", () => {
    expect(jsonPartsOf(jsonResponse(200, { ok: true }))).toEqual({
      status: 200,
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
      text: '{"ok":true}',
    });
    expect(jsonPartsOf(new Response("x"))).toBeUndefined();
  });

  it("becomes a real Response for servers that read a response's internals", async () => {
    const real = standardResponse(jsonResponse(201, { id: 1 }));
    expect(Object.getPrototypeOf(real)).toBe(Response.prototype);
    expect([real.status, await real.text()]).toEqual([201, '{"id":1}']);
    const other = new Response("x");
    expect(standardResponse(other)).toBe(other);
  });
});
