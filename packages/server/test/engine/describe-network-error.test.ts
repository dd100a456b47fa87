import { RequestTimeoutError } from "@iac/sdk";
import { describe, expect, it } from "vitest";
import { describeNetworkError, noResponseError } from "../../src/engine/describe-network-error.js";

const refused = new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) });

describe("describeNetworkError", () => {
  it.each<[string, unknown, string]>([
    [
      "a client timeout",
      new RequestTimeoutError(new Request("https://dokploy.test/api/project.all"), 50),
      "none within 50 ms",
    ],
    ["a refused connection under fetch's TypeError", refused, "none (ECONNREFUSED)"],
    ["an error without a system code", new TypeError("fetch failed"), "none (TypeError)"],
    ["something that is not an error", "boom", "none (network error)"],
  ])("describes %s", (_name, error, want) => {
    expect(describeNetworkError(error)).toBe(want);
  });

  it("never repeats the URL or query of the request", () => {
    const timeout = new RequestTimeoutError(
      new Request("https://dokploy.test/api/compose.one?composeId=secret-id"),
      10,
    );
    expect(describeNetworkError(timeout)).not.toContain("secret-id");
    expect(describeNetworkError(timeout)).not.toContain("dokploy.test");
  });
});

describe("noResponseError", () => {
  it("names the call and why no response arrived, with the classified code and the cause kept", () => {
    const error = noResponseError("vault_unreachable", "Vault AppRole login", refused);
    expect(error).toMatchObject({
      name: "SyncError",
      code: "vault_unreachable",
      message: "[@iac/server] Vault AppRole login: expected a response, received none (ECONNREFUSED)",
      cause: refused,
    });
  });
});
