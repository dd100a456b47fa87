import { describe, expect, it } from "vitest";
import { discoverServices } from "../src/discover-services.js";
import { IacConfigError } from "../src/iac-config-error.js";
import { parseConfig } from "../src/parse-config.js";
import type { CatalogService } from "../src/types.js";

const TREE = [
  "README.md",
  "libs/common.py",
  "platform/README.md",
  "platform/01.postgres/compose.yaml",
  "platform/01.postgres/README.md",
  "platform/02.redis/docker-compose.yml",
  "platform/10.authentik/compose.yaml",
  "platform/10.authentik/templates/flow.yaml",
  "platform/99.wip/notes.md",
  "bootstrap/06.iac-runner/compose.yaml",
  "bootstrap/06.iac-runner/Dockerfile",
  "finance_report/compose.yaml",
  "finance/api/compose.yaml",
];

function summary(service: CatalogService): Pick<CatalogService, "name" | "folder" | "layer" | "mode" | "compose"> {
  const { name, folder, layer, mode, compose } = service;
  return { name, folder, layer, mode, compose };
}

function names(paths: string[], yaml?: string): string[] {
  return discoverServices(paths, parseConfig(yaml)).services.map((service) => service.name);
}

describe("discoverServices", () => {
  it("finds the services of the original runner's layout with the default config", () => {
    const catalog = discoverServices(TREE, parseConfig());
    expect(catalog.services.map(summary)).toEqual([
      {
        name: "authentik",
        folder: "platform/10.authentik",
        layer: "platform",
        mode: "auto",
        compose: "platform/10.authentik/compose.yaml",
      },
      {
        name: "iac-runner",
        folder: "bootstrap/06.iac-runner",
        layer: "bootstrap",
        mode: "manual",
        compose: "bootstrap/06.iac-runner/compose.yaml",
      },
      {
        name: "postgres",
        folder: "platform/01.postgres",
        layer: "platform",
        mode: "auto",
        compose: "platform/01.postgres/compose.yaml",
      },
      {
        name: "redis",
        folder: "platform/02.redis",
        layer: "platform",
        mode: "auto",
        compose: "platform/02.redis/docker-compose.yml",
      },
    ]);
    expect(catalog.issues).toEqual([
      {
        code: "missing_compose",
        path: "platform/99.wip",
        message: expect.stringContaining("platform/99.wip is not a service"),
      },
    ]);
    expect(catalog.config).toBe(parseConfig());
  });

  it("lists the sorted files of each service folder", () => {
    const catalog = discoverServices(TREE, parseConfig());
    expect(catalog.services.find((service) => service.name === "authentik")?.files).toEqual([
      "platform/10.authentik/compose.yaml",
      "platform/10.authentik/templates/flow.yaml",
    ]);
  });

  it.each([
    ["compose.yaml wins over every other name", ["docker-compose.yml", "compose.yml", "compose.yaml"], "compose.yaml"],
    ["compose.yml comes next", ["docker-compose.yml", "docker-compose.yaml", "compose.yml"], "compose.yml"],
    [
      "docker-compose.yaml comes before docker-compose.yml",
      ["docker-compose.yml", "docker-compose.yaml"],
      "docker-compose.yaml",
    ],
    ["docker-compose.yml is accepted alone", ["docker-compose.yml"], "docker-compose.yml"],
  ])("picks the compose file: %s", (_name, files, want) => {
    const catalog = discoverServices(
      files.map((file) => `platform/01.pg/${file}`),
      parseConfig(),
    );
    expect(catalog.services[0]?.compose).toBe(`platform/01.pg/${want}`);
  });

  it("uses only the compose file a service names", () => {
    const yaml = "services:\n  pg: { compose: deploy/stack.yaml }\n  redis: { compose: stack.yaml }\n";
    const catalog = discoverServices(
      ["platform/01.pg/compose.yaml", "platform/01.pg/deploy/stack.yaml", "platform/02.redis/compose.yaml"],
      parseConfig(yaml),
    );
    expect(catalog.services.map(summary)).toEqual([
      {
        name: "pg",
        folder: "platform/01.pg",
        layer: "platform",
        mode: "auto",
        compose: "platform/01.pg/deploy/stack.yaml",
      },
    ]);
    expect(catalog.issues).toEqual([
      { code: "missing_compose", path: "platform/02.redis", message: expect.stringContaining("(stack.yaml)") },
    ]);
  });

  it.each([
    ["a folder without a number prefix is a service", ["platform/postgres/compose.yaml"], ["postgres"]],
    ["only the number prefix is stripped", ["platform/01.my.app/compose.yaml"], ["my.app"]],
    ["a file directly in a layer folder is not a service", ["platform/README.md", "platform/compose.yaml"], []],
    ["ignored layers hold no services", ["finance/api/compose.yaml", "finance_report/x/compose.yaml"], []],
    ["folders outside layers are not services", ["apps/web/compose.yaml", "compose.yaml"], []],
    ["a compose file deeper in the folder does not count", ["platform/01.pg/sub/compose.yaml"], []],
    ["manual layers hold services", ["bootstrap/01.vault/compose.yaml"], ["vault"]],
    [
      "a folder named like an Object method is an ordinary service",
      ["platform/01.constructor/compose.yaml"],
      ["constructor"],
    ],
  ])("%s", (_name, paths, want) => {
    expect(names(paths)).toEqual(want);
  });

  it("supports layers below the repository root", () => {
    const catalog = discoverServices(
      ["infra/platform/01.pg/compose.yaml", "infra/README.md"],
      parseConfig("layers: { infra/platform: auto }"),
    );
    expect(catalog.services.map(summary)).toEqual([
      {
        name: "pg",
        folder: "infra/platform/01.pg",
        layer: "infra/platform",
        mode: "auto",
        compose: "infra/platform/01.pg/compose.yaml",
      },
    ]);
  });

  it.each([
    [
      "in one layer",
      ["platform/03.minio/compose.yaml", "platform/04.minio/compose.yaml"],
      "platform/03.minio and platform/04.minio",
    ],
    [
      "with and without a prefix",
      ["platform/minio/compose.yaml", "platform/04.minio/compose.yaml"],
      "platform/04.minio and platform/minio",
    ],
    [
      "across layers",
      ["platform/01.vault/compose.yaml", "bootstrap/01.vault/compose.yaml"],
      "bootstrap/01.vault and platform/01.vault",
    ],
  ])("throws on two folders with the same service name %s, naming both", (_name, paths, folders) => {
    expect(() => discoverServices(paths, parseConfig())).toThrow(
      `[@iac/sync] duplicate service "${paths[0]?.split("/")[1]?.replace(/^\d+\./, "")}": expected one folder per service name, received ${folders}`,
    );
  });

  it("does not count a leftover folder without a compose file as a duplicate", () => {
    expect(names(["platform/03.minio/notes.md", "platform/04.minio/compose.yaml"])).toEqual(["minio"]);
  });

  it("applies Dokploy defaults: project = layer, environment = per environment, compose = service name", () => {
    const [service] = discoverServices(["platform/01.postgres/compose.yaml"], parseConfig()).services;
    expect(service).toMatchObject({
      dokploy: { project: "platform", environment: null, compose: "postgres" },
      vault: [],
      env: {},
      include: [],
    });
  });

  it("carries a service's probe, and no probe key for services without one", () => {
    const yaml = 'services: { api: { probe: { url: "https://api{suffix}.example.com/h" } } }';
    const paths = ["apps/01.api/compose.yaml", "apps/02.web/compose.yaml"];
    const [api, web] = discoverServices(paths, parseConfig(`layers: { apps: auto }\n${yaml}`)).services;
    expect(api?.probe).toEqual({ url: "https://api{suffix}.example.com/h", timeoutSeconds: 60 });
    expect(web !== undefined && "probe" in web).toBe(false);
  });

  it("applies per-service overrides", () => {
    const yaml = `
services:
  postgres:
    dokploy: { project: databases, environment: "{env}-db", compose: pg }
    vault: ["secret/data/platform/{env}/postgres"]
    env: { PGPORT: "5432" }
`;
    const [service] = discoverServices(["platform/01.postgres/compose.yaml"], parseConfig(yaml)).services;
    expect(service).toMatchObject({
      dokploy: { project: "databases", environment: "{env}-db", compose: "pg" },
      vault: ["secret/data/platform/{env}/postgres"],
      env: { PGPORT: "5432" },
    });
  });

  it("adds the files matched by a service's extra globs, relative to its folder or to the root", () => {
    const yaml = 'services:\n  postgres:\n    files: ["../shared/pg/**", "/templates/*.conf"]\n';
    const paths = [
      "platform/01.postgres/compose.yaml",
      "platform/shared/pg/init.sql",
      "platform/shared/redis/redis.conf",
      "templates/pg.conf",
      "templates/sub/other.conf",
      "platform/01.postgres/compose.yaml",
    ];
    const [service] = discoverServices(paths, parseConfig(yaml)).services;
    expect(service?.include).toEqual(["platform/shared/pg/**", "templates/*.conf"]);
    expect(service?.files).toEqual([
      "platform/01.postgres/compose.yaml",
      "platform/shared/pg/init.sql",
      "templates/pg.conf",
    ]);
  });

  it("matches wildcard characters of a folder name literally in extra globs", () => {
    const yaml = 'services:\n  "a*": { files: ["conf/**"] }\n';
    const [service] = discoverServices(
      ["platform/01.a*/compose.yaml", "platform/01.a*/conf/x"],
      parseConfig(yaml),
    ).services;
    expect(service?.include).toEqual(["platform/01.a\\*/conf/**"]);
    expect(service?.files).toEqual(["platform/01.a*/compose.yaml", "platform/01.a*/conf/x"]);
  });

  it("throws when an extra glob climbs out of the repository", () => {
    const config = parseConfig('services:\n  pg:\n    files: ["../../../x/**"]\n');
    expect(() => discoverServices(["platform/01.pg/compose.yaml"], config)).toThrow(IacConfigError);
    expect(() => discoverServices(["platform/01.pg/compose.yaml"], config)).toThrow(
      'at services.pg.files[0]: expected a glob inside the repository from platform/01.pg, received "../../../x/**"',
    );
  });

  it("reports config entries that match no service", () => {
    const yaml = "services:\n  postgers: {}\nshared:\n  - paths: [libs/**]\n    services: [postgres, redis]\n";
    const catalog = discoverServices(["platform/01.postgres/compose.yaml"], parseConfig(yaml));
    expect(catalog.issues.map(({ code, path }) => ({ code, path }))).toEqual([
      { code: "unused_override", path: "services.postgers" },
      { code: "unknown_shared_target", path: "shared[0].services[1]" },
    ]);
  });

  it("returns a frozen catalog", () => {
    const catalog = discoverServices(TREE, parseConfig());
    expect(Object.isFrozen(catalog)).toBe(true);
    expect(Object.isFrozen(catalog.services)).toBe(true);
    expect(Object.isFrozen(catalog.services[0]?.files)).toBe(true);
  });

  it("returns an empty catalog for an empty tree", () => {
    expect(discoverServices([], parseConfig())).toMatchObject({ services: [], issues: [] });
  });
});
