import { describe, expect, it } from "vitest";
import { hasApiToken, requireApiToken } from "../../src/auth/api-token.js";
import { HttpError } from "../../src/http/http-error.js";

const TOKEN = "test-api-token-0123456789";

function withAuthorization(value: string | null): Request {
  return new Request("http://runner.test/deployments", {
    headers: value === null ? {} : { authorization: value },
  });
}

describe("hasApiToken", () => {
  it.each([
    ["the bearer token", `Bearer ${TOKEN}`, true],
    ["the scheme in any case", `bEARER ${TOKEN}`, true],
    ["several spaces after the scheme", `Bearer   ${TOKEN}`, true],
    ["trailing whitespace", `Bearer ${TOKEN} \t`, true],
    ["another token", "Bearer not-the-token", false],
    ["the token with a suffix", `Bearer ${TOKEN}x`, false],
    ["a prefix of the token", `Bearer ${TOKEN.slice(0, -1)}`, false],
    ["another scheme", `Basic ${TOKEN}`, false],
    ["text before the scheme", `xBearer ${TOKEN}`, false],
    ["a second word after the token", `Bearer ${TOKEN} extra`, false],
    ["a tab instead of a space", `Bearer\t${TOKEN}`, false],
    ["no space after the scheme", `Bearer${TOKEN}`, false],
    ["the scheme alone", "Bearer", false],
    ["the bare token", TOKEN, false],
  ])("answers for %s (%j): %s", (_name, header, want) => {
    expect(hasApiToken(withAuthorization(header), TOKEN)).toBe(want);
  });

  it("is false without an Authorization header", () => {
    expect(hasApiToken(withAuthorization(null), TOKEN)).toBe(false);
  });

  it("is false when no token is configured, whatever the request carries", () => {
    expect(hasApiToken(withAuthorization("Bearer undefined"), undefined)).toBe(false);
  });
});

describe("requireApiToken", () => {
  const thrown = (request: Request, token: string | undefined): HttpError => {
    try {
      requireApiToken(request, token, "/deployments");
    } catch (error) {
      expect(error).toBeInstanceOf(HttpError);
      return error as HttpError;
    }
    throw new Error("requireApiToken accepted the request");
  };

  it("passes a request with the bearer token", () => {
    expect(() => requireApiToken(withAuthorization(`Bearer ${TOKEN}`), TOKEN, "/deployments")).not.toThrow();
  });

  it("answers 404 not_found naming the path when no token is configured", async () => {
    const error = thrown(withAuthorization(`Bearer ${TOKEN}`), undefined);
    expect(error.status).toBe(404);
    expect(await error.getResponse().json()).toEqual({ code: "not_found", error: "no endpoint at /deployments" });
  });

  it("answers 401 unauthorized with a Bearer challenge without the right token", async () => {
    const error = thrown(withAuthorization("Bearer wrong"), TOKEN);
    const response = error.getResponse();
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="iac-runner"');
    expect(await response.json()).toEqual({
      code: "unauthorized",
      error: "expected Authorization: Bearer <IAC_API_TOKEN>",
    });
  });
});
