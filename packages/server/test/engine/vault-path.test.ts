import { describe, expect, it } from "vitest";
import { parseVaultPath } from "../../src/engine/vault-path.js";

const values = { env: "staging", service: "postgres" };

describe("parseVaultPath", () => {
  it.each([
    ["the API form", "secret/data/platform/{env}/postgres", { mount: "secret", path: "platform/staging/postgres" }],
    ["the CLI form", "secret/platform/{env}/postgres", { mount: "secret", path: "platform/staging/postgres" }],
    ["a {service} placeholder", "kv/data/apps/{env}/{service}", { mount: "kv", path: "apps/staging/postgres" }],
    ["surrounding slashes", "/secret/data/a/b/", { mount: "secret", path: "a/b" }],
  ])("reads %s", (_name, template, want) => {
    expect(parseVaultPath(template, values)).toEqual(want);
  });

  it.each([
    ["only a mount", "secret"],
    ["only mount and data", "secret/data"],
    ["a dot-dot segment", "secret/data/../x"],
    ["a space", "secret/data/a b"],
  ])("rejects %s with config_invalid", (_name, template) => {
    expect(() => parseVaultPath(template, values)).toThrow(expect.objectContaining({ code: "config_invalid" }));
  });
});
