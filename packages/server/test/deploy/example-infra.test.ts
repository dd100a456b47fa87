import { CONFIG_FILE, discoverServices, mapChanges, parseConfig } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planComposeMounts } from "../../src/engine/compose-mounts.js";
import { listFiles, readRepoFile } from "./repo-files.js";

// examples/infra: a sample infrastructure repository, read the way the runner reads a commit of one.

const ROOT = "examples/infra";
const files = listFiles(ROOT);
const config = parseConfig(readRepoFile(`${ROOT}/${CONFIG_FILE}`));
const catalog = discoverServices(files, config);

describe("examples/infra", () => {
  it("has an iac.config.yaml that sets every top-level key", () => {
    expect(Object.keys(config).sort()).toEqual(["environments", "layers", "services", "shared"]);
    expect(config.layers).toEqual({ platform: "auto", bootstrap: "manual", apps: "ignore" });
    expect(config.environments).toEqual({
      staging: {
        env: "staging",
        domainSuffix: "-staging",
        dokployEnvironment: "staging",
        dataPath: "/data/{env}/{service}",
        rollback: "off",
        reconcile: "report",
        notify: [{ type: "slack", url: "$SLACK_STAGING_URL", secret: null, on: "failure" }],
      },
      production: {
        env: "production",
        domainSuffix: "",
        dokployEnvironment: "production",
        dataPath: "/data/{env}/{service}",
        rollback: "auto",
        reconcile: "report",
        notify: [{ type: "webhook", url: "https://hooks.example.com/iac", secret: "$IAC_NOTIFY_KEY", on: "all" }],
      },
    });
  });

  it("holds postgres and redis, synced on push, and the runner itself, deployed by hand", () => {
    expect(catalog.issues).toEqual([]);
    expect(catalog.services.map(({ name, folder, mode }) => ({ name, folder, mode }))).toEqual([
      { name: "iac-runner", folder: "bootstrap/01.iac-runner", mode: "manual" },
      { name: "postgres", folder: "platform/01.postgres", mode: "auto" },
      { name: "redis", folder: "platform/02.redis", mode: "auto" },
    ]);
  });

  it("gives postgres every per-service setting", () => {
    const postgres = catalog.services.find((service) => service.name === "postgres");
    expect(postgres).toMatchObject({
      compose: "platform/01.postgres/compose.yaml",
      files: ["config/postgres/postgresql.conf", "platform/01.postgres/compose.yaml", "platform/01.postgres/init.sql"],
      dokploy: { project: "platform", environment: "{env}", compose: "postgres" },
      vault: ["secret/data/platform/{env}/postgres"],
      env: { PGPORT: "5432" },
      probe: { url: "https://pg-health{suffix}.example.com/ready", timeoutSeconds: 120 },
    });
  });

  it.each([
    ["platform/01.postgres/init.sql", ["postgres"], undefined],
    ["config/postgres/postgresql.conf", ["postgres"], undefined],
    ["libs/README.md", ["postgres", "redis"], undefined],
    [CONFIG_FILE, ["postgres", "redis"], undefined],
    ["bootstrap/01.iac-runner/compose.yaml", [], "manual_layer"],
    ["apps/finance/README.md", [], "ignored_layer"],
  ])("maps a change to %s as the README says", (path, services, reason) => {
    const mapping = mapChanges(catalog, [path]);
    expect(mapping.services.map((service) => service.name)).toEqual(services);
    expect(mapping.ignored.map((ignored) => ignored.reason)).toEqual(reason === undefined ? [] : [reason]);
  });

  it.each(["postgres", "redis"])("deploys the compose of %s with every file it refers to", (name) => {
    const service = catalog.services.find((candidate) => candidate.name === name);
    const text = readRepoFile(`${ROOT}/${service?.compose}`);
    const plan = planComposeMounts(text, service?.compose ?? "", service?.files ?? []);
    expect(plan.unresolved).toEqual([]);
    expect(plan.mounts.length).toBeGreaterThan(0);
    // Dokploy builds nothing and manages container names itself; services reach each other on dokploy-network.
    const compose = parse(text) as {
      services: Record<string, { build?: unknown; container_name?: unknown; networks?: unknown }>;
      networks: unknown;
    };
    for (const definition of Object.values(compose.services)) {
      expect(definition).not.toHaveProperty("build");
      expect(definition).not.toHaveProperty("container_name");
      expect(definition.networks).toEqual(["dokploy-network"]);
    }
    expect(compose.networks).toEqual({ "dokploy-network": { external: true } });
  });

  it("lists every file of the sample in its README", () => {
    const readme = readRepoFile(`${ROOT}/README.md`);
    for (const file of files.filter((path) => path !== "README.md")) {
      expect(readme, file).toContain(file);
    }
  });
});
