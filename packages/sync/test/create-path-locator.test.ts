import { describe, expect, it } from "vitest";
import { createPathLocator } from "../src/create-path-locator.js";

describe("createPathLocator", () => {
  const locate = createPathLocator({ platform: "auto", "infra/apps": "manual", finance: "ignore" });

  it.each([
    [
      "platform/01.postgres/compose.yaml",
      { kind: "service-folder", layer: "platform", mode: "auto", folder: "platform/01.postgres", name: "postgres" },
    ],
    [
      "platform/postgres/a/b.txt",
      { kind: "service-folder", layer: "platform", mode: "auto", folder: "platform/postgres", name: "postgres" },
    ],
    [
      "platform/01.my.service/x",
      { kind: "service-folder", layer: "platform", mode: "auto", folder: "platform/01.my.service", name: "my.service" },
    ],
    ["platform/README.md", { kind: "layer-file", layer: "platform", mode: "auto" }],
    [
      "infra/apps/02.web/compose.yaml",
      { kind: "service-folder", layer: "infra/apps", mode: "manual", folder: "infra/apps/02.web", name: "web" },
    ],
    ["finance/x/y", { kind: "service-folder", layer: "finance", mode: "ignore", folder: "finance/x", name: "x" }],
    ["platform", { kind: "outside" }],
    ["platforms/01.x/y", { kind: "outside" }],
    ["infra/other/x", { kind: "outside" }],
    ["README.md", { kind: "outside" }],
  ])("places %j", (path, want) => {
    expect(locate(path)).toEqual(want);
  });
});
