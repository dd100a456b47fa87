import { describe, expectTypeOf, it } from "vitest";
import { type ConfigHashInput, configHash, isConfigHash, legacyConfigHash } from "../src/index.js";

describe("configHash types", () => {
  it("takes files as strings or bytes and returns a string", () => {
    expectTypeOf(configHash).parameter(0).toEqualTypeOf<ConfigHashInput>();
    expectTypeOf(configHash({ compose: "", files: { a: "x", b: new Uint8Array() } })).toEqualTypeOf<string>();
  });

  it("refuses env and secret values that are not strings", () => {
    // @ts-expect-error env values are strings
    configHash({ compose: "", env: { A: 1 } });
    // @ts-expect-error secrets are strings, not bytes
    configHash({ compose: "", secrets: { S: new Uint8Array() }, secretKey: "k" });
    // @ts-expect-error the compose text is required
    configHash({ env: {} });
  });

  it("narrows unknown values with isConfigHash", () => {
    const value: unknown = "v2:…";
    if (isConfigHash(value)) {
      expectTypeOf(value).toEqualTypeOf<string>();
    }
  });

  it("lets legacyConfigHash take undefined env values", () => {
    expectTypeOf(legacyConfigHash).toBeCallableWith("", { A: undefined, B: "1" });
  });
});
