import { describe, expect, test } from "vitest";
import { applyOverlay, type OverlayAction, parseTarget } from "../../../openapi/scripts/apply-overlay.js";

const overlay = (...actions: OverlayAction[]) => ({ overlay: "1.0.0", info: { title: "t", version: "1" }, actions });

const DOCUMENT = {
  paths: {
    "/a.one": { get: { security: [{ Authorization: [] }], parameters: [{ name: "id" }] } },
    "/b.two": { post: { security: [{ Authorization: [] }] } },
  },
  components: { schemas: { "error.X": { type: "object", required: ["message", "code"] } } },
};

describe("applyOverlay", () => {
  test.each<[string, OverlayAction[], unknown]>([
    [
      "update merges objects recursively",
      [{ target: "$.paths['/a.one'].get", update: { responses: { "200": { description: "ok" } } } }],
      { security: [{ Authorization: [] }], parameters: [{ name: "id" }], responses: { "200": { description: "ok" } } },
    ],
    [
      "update appends to arrays",
      [{ target: "$.paths['/a.one'].get.parameters", update: [{ name: "version" }] }],
      { security: [{ Authorization: [] }], parameters: [{ name: "id" }, { name: "version" }] },
    ],
    [
      "remove deletes every wildcard match",
      [{ target: "$.paths.*.*.security", remove: true }],
      { parameters: [{ name: "id" }] },
    ],
  ])("%s", (_, actions, expected) => {
    const result = applyOverlay(DOCUMENT, overlay(...actions));
    expect(result.paths["/a.one"].get).toEqual(expected);
  });

  test("replaces a list by removing it first", () => {
    const result = applyOverlay(
      DOCUMENT,
      overlay(
        { target: "$.components.schemas['error.X'].required", remove: true },
        { target: "$.components.schemas['error.X']", update: { required: ["message"] } },
      ),
    );
    expect(result.components.schemas["error.X"].required).toEqual(["message"]);
  });

  test("leaves the input document untouched", () => {
    const before = structuredClone(DOCUMENT);
    applyOverlay(DOCUMENT, overlay({ target: "$.paths.*.*.security", remove: true }));
    expect(DOCUMENT).toEqual(before);
  });

  test("fails on a target that matches nothing", () => {
    expect(() => applyOverlay(DOCUMENT, overlay({ target: "$.paths['/gone'].get", remove: true }))).toThrow(
      "target $.paths['/gone'].get matched no node",
    );
  });

  test("fails on an action with neither update nor remove", () => {
    expect(() => applyOverlay(DOCUMENT, overlay({ target: "$.paths" }))).toThrow('neither "update" nor "remove: true"');
  });

  test.each([["paths"], ["$.paths..x"], ["$.paths[0:1]"], ["$.paths[?(@.x)]"]])("rejects the target %s", (target) => {
    expect(() => parseTarget(target)).toThrow("invalid overlay target");
  });
});
