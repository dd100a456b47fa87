import { PlanError } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/http-error.js";
import { toErrorResponse } from "../../src/http/to-error-response.js";
import { StoreError } from "../../src/store/store-error.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";

async function answer(
  error: unknown,
): Promise<{ status: number; body: unknown; lines: LoggedLine[]; response: Response }> {
  const lines: LoggedLine[] = [];
  const response = toErrorResponse(error, createLineLogger(lines));
  return { status: response.status, body: await response.clone().json(), lines, response };
}

describe("toErrorResponse", () => {
  it("answers an HttpError as itself, headers included, and logs nothing", async () => {
    const { status, body, lines, response } = await answer(
      new HttpError(405, "method_not_allowed", "no", { headers: { allow: "POST" }, details: { known: ["a"] } }),
    );
    expect(status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    expect(body).toEqual({ code: "method_not_allowed", error: "no", known: ["a"] });
    expect(lines).toEqual([]);
  });

  it("answers a PlanError with the status of its code, its message and its details, and logs nothing", async () => {
    const { status, body, lines } = await answer(
      new PlanError("unknown_service", 'unknown service "x"', { known: ["postgres"] }),
    );
    expect(status).toBe(400);
    expect(body).toEqual({ code: "unknown_service", error: 'unknown service "x"', known: ["postgres"] });
    expect(lines).toEqual([]);
  });

  it("answers a StoreError with 503 store_unavailable and Retry-After, without its text, and logs it", async () => {
    const failure = new StoreError("[@iac/server] the job store failed during getJob", {
      cause: new Error("disk I/O error at /var/lib/iac"),
    });
    const { status, body, lines, response } = await answer(failure);
    expect(status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("10");
    expect(body).toEqual({ code: "store_unavailable", error: "the job store is unavailable; try again later" });
    expect(lines).toEqual([{ level: "error", msg: "job store unavailable", err: failure }]);
  });

  it.each([
    ["an Error", new Error("token=abc leaked")],
    ["a thrown string", "token=abc leaked"],
  ])("answers %s with a generic 500 and logs it", async (_name, failure) => {
    const { status, body, lines, response } = await answer(failure);
    expect(status).toBe(500);
    expect(body).toEqual({ code: "internal_error", error: "internal error" });
    expect(response.headers.get("retry-after")).toBeNull();
    expect(lines).toEqual([{ level: "error", msg: "unhandled error", err: failure }]);
  });
});
