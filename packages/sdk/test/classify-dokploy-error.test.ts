import { describe, expect, test } from "vitest";
import { classifyDokployError, type DokployErrorInfo } from "../src/index.js";

const response = (status: number): Response => new Response(null, { status });

describe("classifyDokployError", () => {
  test.each<[string, number, unknown, Partial<DokployErrorInfo>]>([
    [
      "the route guard's 401 without code",
      401,
      { message: "Unauthorized" },
      { code: "unauthorized", message: "Unauthorized", trpcCode: undefined, retryable: false },
    ],
    [
      "a tRPC 401 for a project the key cannot access",
      401,
      { message: "You don't have access to this project", code: "UNAUTHORIZED" },
      { code: "unauthorized", trpcCode: "UNAUTHORIZED" },
    ],
    [
      "a missing row",
      404,
      { message: "Compose not found", code: "NOT_FOUND" },
      { code: "not_found", message: "Compose not found", trpcCode: "NOT_FOUND" },
    ],
    [
      "a validation failure with issues",
      400,
      { message: "Input validation failed", code: "BAD_REQUEST", issues: [{ message: "Required" }, { code: "x" }] },
      { code: "bad_request", issues: ["Required"] },
    ],
    ["a conflict", 409, { message: "exists", code: "CONFLICT" }, { code: "conflict", retryable: false }],
    [
      "a missing content type",
      415,
      { message: "x", code: "UNSUPPORTED_MEDIA_TYPE" },
      { code: "unsupported_media_type" },
    ],
    [
      "a proxy page",
      502,
      "<html>\n  <h1>502 Bad Gateway</h1>\n</html>",
      { code: "unavailable", message: "<html> <h1>502 Bad Gateway</h1> </html>", retryable: true },
    ],
    ["an empty 500", 500, "", { code: "server_error", message: "HTTP 500", retryable: false }],
    ["an unexpected redirect", 302, undefined, { code: "unexpected", message: "HTTP 302" }],
  ])("classifies %s", (_, status, error, expected) => {
    expect(classifyDokployError(error, response(status))).toMatchObject({ status, ...expected });
  });

  test("truncates a long non-JSON body", () => {
    const { message } = classifyDokployError("x".repeat(500), response(503));
    expect(message).toBe(`${"x".repeat(200)}…`);
  });
});
