import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/http-error.js";
import { jsonPartsOf } from "../../src/http/json-response.js";

describe("HttpError", () => {
  it("answers with its status, headers and JSON body, and gives its code to the request tally", async () => {
    const error = new HttpError(405, "method_not_allowed", "method PUT not allowed", {
      headers: { allow: "GET" },
      details: { known: ["GET"] },
    });
    const response = error.getResponse();
    expect([response.status, response.headers.get("allow")]).toEqual([405, "GET"]);
    expect(await response.json()).toEqual({
      known: ["GET"],
      error: "method PUT not allowed",
      code: "method_not_allowed",
    });
    expect(jsonPartsOf(error.getResponse())?.code).toBe("method_not_allowed");
  });

  it("gives a response of its own each time, so one error can answer many requests", async () => {
    const error = new HttpError(401, "invalid_signature", "signature does not match");
    const [first, second] = [error.getResponse(), error.getResponse()];
    expect(first).not.toBe(second);
    expect(await first.text()).toBe(await second.text());
    expect(first.bodyUsed && second.bodyUsed).toBe(true);
  });
});
