import { describe, expect, test } from "vitest";
import { serviceSetKey } from "../../src/store/service-set-key.js";

describe("serviceSetKey", () => {
  test("is the same for the same set in any order and different for another set", () => {
    expect(serviceSetKey(["web", "api"])).toBe(serviceSetKey(["api", "web"]));
    expect(serviceSetKey(["api", "web", "api"])).toBe(serviceSetKey(["api", "web"]));
    expect(serviceSetKey(["api"])).not.toBe(serviceSetKey(["api", "web"]));
    // Names are not joined ambiguously.
    expect(serviceSetKey(["a,b"])).not.toBe(serviceSetKey(["a", "b"]));
  });
});
