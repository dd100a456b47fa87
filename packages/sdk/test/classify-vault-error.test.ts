import { describe, expect, test } from "vitest";
import { classifyVaultError, type VaultErrorInfo } from "../src/index.js";

const response = (status: number): Response => new Response(null, { status });

describe("classifyVaultError", () => {
  test.each<[string, number, unknown, VaultErrorInfo]>([
    [
      "permission denied",
      403,
      { errors: ["1 error occurred:\n\t* permission denied\n\n"] },
      {
        code: "forbidden",
        status: 403,
        message: "1 error occurred:\n\t* permission denied\n\n",
        retryable: false,
        errors: ["1 error occurred:\n\t* permission denied\n\n"],
      },
    ],
    [
      "a bad AppRole secret",
      400,
      { errors: ["invalid role or secret ID"] },
      {
        code: "bad_request",
        status: 400,
        message: "invalid role or secret ID",
        retryable: false,
        errors: ["invalid role or secret ID"],
      },
    ],
    [
      "an empty 404",
      404,
      { errors: [] },
      { code: "not_found", status: 404, message: "HTTP 404", retryable: false, errors: [] },
    ],
    [
      "several errors",
      500,
      { errors: ["a", "b"] },
      { code: "server_error", status: 500, message: "a; b", retryable: false, errors: ["a", "b"] },
    ],
    [
      "a standby node lagging behind",
      412,
      { errors: ["required index state not present"] },
      {
        code: "precondition_failed",
        status: 412,
        message: "required index state not present",
        retryable: true,
        errors: ["required index state not present"],
      },
    ],
    [
      "a sealed server",
      503,
      { errors: ["Vault is sealed"] },
      { code: "unavailable", status: 503, message: "Vault is sealed", retryable: true, errors: ["Vault is sealed"] },
    ],
    [
      "a non-JSON body",
      502,
      "Bad Gateway",
      { code: "unavailable", status: 502, message: "Bad Gateway", retryable: true, errors: [] },
    ],
    [
      "errors of the wrong type",
      500,
      { errors: [1, "x"] },
      { code: "server_error", status: 500, message: "x", retryable: false, errors: ["x"] },
    ],
  ])("classifies %s", (_, status, error, expected) => {
    expect(classifyVaultError(error, response(status))).toEqual(expected);
  });
});
