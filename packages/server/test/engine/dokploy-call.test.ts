import { RequestTimeoutError } from "@iac/sdk";
import { describe, expect, it } from "vitest";
import { dokployCall } from "../../src/engine/dokploy-call.js";
import { MAX_DETAIL_LENGTH, SyncError } from "../../src/engine/sync-error.js";

const answer = (status: number, error?: unknown) => async () => ({
  data: status < 400 ? { ok: true } : undefined,
  error,
  response: new Response(null, { status }),
});

const failing = (error: unknown) => async (): Promise<never> => {
  throw error;
};

describe("dokployCall", () => {
  it("returns the data of a 2xx answer", async () => {
    await expect(dokployCall("compose.one", answer(200))).resolves.toEqual({ ok: true });
  });

  it.each([
    [401, { message: "Unauthorized" }, "dokploy_auth_failed"],
    [401, { message: "You are not authorized", code: "UNAUTHORIZED" }, "dokploy_auth_failed"],
    [403, { message: "Forbidden", code: "FORBIDDEN" }, "dokploy_auth_failed"],
    [500, { message: "boom", code: "INTERNAL_SERVER_ERROR" }, "dokploy_unreachable"],
    [501, undefined, "dokploy_unreachable"],
    [502, undefined, "dokploy_unreachable"],
    [503, "<html>Service Unavailable</html>", "dokploy_unreachable"],
    [504, undefined, "dokploy_unreachable"],
    [429, undefined, "dokploy_unreachable"],
    [408, undefined, "dokploy_unreachable"],
    [404, { message: "Compose not found", code: "NOT_FOUND" }, "dokploy_error"],
    [400, { message: "Input validation failed", code: "BAD_REQUEST" }, "dokploy_error"],
    [409, { message: "Service with this 'AppName' already exists", code: "CONFLICT" }, "dokploy_error"],
    [415, { message: "Unsupported content-type", code: "UNSUPPORTED_MEDIA_TYPE" }, "dokploy_error"],
  ])("classifies %i %j as %s", async (status, body, code) => {
    await expect(dokployCall("compose.one", answer(status, body))).rejects.toMatchObject({ code });
  });

  it.each([
    ["a network error", new TypeError("fetch failed")],
    ["a timeout", new RequestTimeoutError(new Request("http://dokploy.test/api/project.all"), 30_000)],
  ])("classifies a request that gets no response (%s) as dokploy_unreachable", async (_name, error) => {
    await expect(dokployCall("project.all", failing(error))).rejects.toMatchObject({
      code: "dokploy_unreachable",
      message: expect.stringMatching(/^\[@iac\/server\] Dokploy project\.all: expected a response, received none/),
    });
  });

  it("passes a SyncError thrown before sending (a cancel) through unchanged", async () => {
    const cancel = new SyncError("cancelled", "[@iac/server] sync cancelled before compose.update");
    await expect(dokployCall("compose.update", failing(cancel))).rejects.toBe(cancel);
  });

  it("says what was expected and received, and keeps Dokploy's words out of the message", async () => {
    const error = await dokployCall("compose.update", answer(400, { message: "bad input", code: "BAD_REQUEST" })).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({
      message: "[@iac/server] Dokploy compose.update: expected success, received 400",
      detail: "bad input",
    });
    const auth = await dokployCall("compose.one", answer(401, { message: "Unauthorized" })).catch((c: unknown) => c);
    expect(auth).toMatchObject({
      message: "[@iac/server] Dokploy compose.one: expected an API key with access, received 401",
    });
  });

  it("keeps upstream text whole (no cut at 200 characters) up to the memory cap, with validation issues", async () => {
    const long = `${"a".repeat(300)}SECRET`;
    const json = await dokployCall("compose.update", answer(400, { message: long })).catch((c: unknown) => c);
    expect((json as SyncError).detail).toBe(long);
    const text = await dokployCall("compose.update", answer(502, `<p>${long}</p>`)).catch((c: unknown) => c);
    expect((text as SyncError).detail).toBe(`<p>${long}</p>`);
    const huge = await dokployCall("compose.update", answer(500, "b".repeat(10_000))).catch((c: unknown) => c);
    expect((huge as SyncError).detail).toHaveLength(MAX_DETAIL_LENGTH);
    const issues = await dokployCall(
      "compose.update",
      answer(400, { message: "Input validation failed", code: "BAD_REQUEST", issues: [{ message: "Required" }] }),
    ).catch((c: unknown) => c);
    expect((issues as SyncError).detail).toBe("Input validation failed (Required)");
  });
});
