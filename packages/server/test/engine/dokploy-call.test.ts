import { describe, expect, it } from "vitest";
import { dokployCall } from "../../src/engine/dokploy-call.js";

const answer = (status: number, error?: unknown) => async () => ({
  data: status < 400 ? { ok: true } : undefined,
  error,
  response: new Response(null, { status }),
});

describe("dokployCall", () => {
  it("returns the data of a 2xx answer", async () => {
    await expect(dokployCall("compose.one", answer(200))).resolves.toEqual({ ok: true });
  });

  it.each([
    [401, { message: "Unauthorized" }, "dokploy_auth_failed"],
    [401, { message: "You are not authorized", code: "UNAUTHORIZED" }, "dokploy_auth_failed"],
    [403, { message: "Forbidden", code: "FORBIDDEN" }, "dokploy_auth_failed"],
    [500, { message: "boom", code: "INTERNAL_SERVER_ERROR" }, "dokploy_unreachable"],
    [502, undefined, "dokploy_unreachable"],
    [429, undefined, "dokploy_unreachable"],
    [404, { message: "Compose not found", code: "NOT_FOUND" }, "dokploy_error"],
    [400, { message: "Input validation failed", code: "BAD_REQUEST" }, "dokploy_error"],
  ])("classifies %i %j as %s", async (status, body, code) => {
    await expect(dokployCall("compose.one", answer(status, body))).rejects.toMatchObject({ code });
  });

  it("classifies a request that gets no response as dokploy_unreachable", async () => {
    const fail = async (): Promise<never> => {
      throw new TypeError("fetch failed");
    };
    await expect(dokployCall("project.all", fail)).rejects.toMatchObject({
      code: "dokploy_unreachable",
      message: expect.stringContaining("project.all"),
    });
  });
});
