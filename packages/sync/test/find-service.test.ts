import { describe, expect, it } from "vitest";
import { discoverServices } from "../src/discover-services.js";
import { findService } from "../src/find-service.js";
import { parseConfig } from "../src/parse-config.js";

const catalog = discoverServices(
  ["platform/01.postgres/compose.yaml", "infra/core/02.redis/compose.yaml", "bootstrap/iac-runner/compose.yaml"],
  parseConfig("layers: { platform: auto, infra/core: auto, bootstrap: manual }\n"),
);

describe("findService", () => {
  it.each([
    ["the name", "postgres", "postgres"],
    ["the layer and the name", "platform/postgres", "postgres"],
    ["the folder", "platform/01.postgres", "postgres"],
    ["a nested layer and the name", "infra/core/redis", "redis"],
    ["a nested folder", "infra/core/02.redis", "redis"],
    ["a manual service", "iac-runner", "iac-runner"],
  ])("finds a service by %s", (_name, requested, want) => {
    expect(findService(catalog, requested)?.name).toBe(want);
  });

  it.each([
    ["an unknown name", "minio"],
    ["the wrong layer", "infra/postgres"],
    ["a folder number that does not exist", "platform/02.postgres"],
    ["an empty name", ""],
  ])("returns undefined for %s", (_name, requested) => {
    expect(findService(catalog, requested)).toBeUndefined();
  });
});
