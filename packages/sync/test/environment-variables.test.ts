import { describe, expect, it } from "vitest";
import { discoverServices } from "../src/discover-services.js";
import { environmentVariables } from "../src/environment-variables.js";
import { parseConfig } from "../src/parse-config.js";

// The layout of the original runner's repository: its compose files mount ${DATA_PATH} as the data folder and put
// ${ENV_SUFFIX} in container_name.
const TREE = [
  "platform/01.postgres/compose.yaml",
  "platform/02.redis/compose.yaml",
  "platform/03.minio/compose.yaml",
  "bootstrap/04.vault/compose.yaml",
];

/** Every variable of every service of `tree` in `env`, keyed by service name. */
function variablesOf(
  env: string,
  yaml?: string,
  tree: readonly string[] = TREE,
): Record<string, Record<string, string>> {
  const catalog = discoverServices(tree, parseConfig(yaml));
  const environment = catalog.config.environments[env];
  if (environment === undefined) {
    throw new Error(`no environment ${env}`);
  }
  return Object.fromEntries(
    catalog.services.map((service) => [service.name, environmentVariables(env, environment, service)]),
  );
}

describe("environmentVariables", () => {
  it("gives production the original runner's values without an iac.config.yaml", () => {
    expect(variablesOf("production")).toEqual({
      minio: { ENV: "production", ENV_SUFFIX: "", ENV_DOMAIN_SUFFIX: "", DATA_PATH: "/data/platform/minio" },
      postgres: { ENV: "production", ENV_SUFFIX: "", ENV_DOMAIN_SUFFIX: "", DATA_PATH: "/data/platform/postgres" },
      redis: { ENV: "production", ENV_SUFFIX: "", ENV_DOMAIN_SUFFIX: "", DATA_PATH: "/data/platform/redis" },
      vault: { ENV: "production", ENV_SUFFIX: "", ENV_DOMAIN_SUFFIX: "", DATA_PATH: "/data/bootstrap/vault" },
    });
  });

  it("gives staging the original runner's values without an iac.config.yaml", () => {
    const staging = { ENV: "staging", ENV_SUFFIX: "-staging", ENV_DOMAIN_SUFFIX: "-staging" };
    expect(variablesOf("staging")).toEqual({
      minio: { ...staging, DATA_PATH: "/data/platform/minio-staging" },
      postgres: { ...staging, DATA_PATH: "/data/platform/postgres-staging" },
      redis: { ...staging, DATA_PATH: "/data/platform/redis-staging" },
      vault: { ...staging, DATA_PATH: "/data/bootstrap/vault-staging" },
    });
  });

  it("follows the layer folder and the suffix of a configured environment by default", () => {
    const yaml =
      "layers: { infra/db: auto }\nenvironments: { production: {}, preview: {}, qa: { domainSuffix: -test } }";
    const tree = ["infra/db/01.postgres/compose.yaml"];
    expect(variablesOf("production", yaml, tree)).toEqual({
      postgres: { ENV: "production", ENV_SUFFIX: "", ENV_DOMAIN_SUFFIX: "", DATA_PATH: "/data/infra/db/postgres" },
    });
    expect(variablesOf("preview", yaml, tree)).toEqual({
      postgres: {
        ENV: "preview",
        ENV_SUFFIX: "-preview",
        ENV_DOMAIN_SUFFIX: "-preview",
        DATA_PATH: "/data/infra/db/postgres-preview",
      },
    });
    expect(variablesOf("qa", yaml, tree)).toEqual({
      postgres: {
        ENV: "qa",
        ENV_SUFFIX: "-test",
        ENV_DOMAIN_SUFFIX: "-test",
        DATA_PATH: "/data/infra/db/postgres-test",
      },
    });
  });

  it("fills every placeholder of a configured dataPath once, whatever the values hold", () => {
    const yaml = "environments: { staging: { env: stg, dataPath: '/srv/{env}/{layer}/{service}{suffix}/{env}' } }";
    expect(variablesOf("staging", yaml, ["platform/01.postgres/compose.yaml"])).toEqual({
      postgres: {
        ENV: "stg",
        ENV_SUFFIX: "-staging",
        ENV_DOMAIN_SUFFIX: "-staging",
        DATA_PATH: "/srv/staging/platform/postgres-staging/staging",
      },
    });
    const { x } = parseConfig("environments: { x: { domainSuffix: '{service}' } }").environments;
    expect(x && environmentVariables("x", x, { name: "{env}", layer: "{suffix}" })).toEqual({
      ENV: "x",
      ENV_SUFFIX: "{service}",
      ENV_DOMAIN_SUFFIX: "{service}",
      DATA_PATH: "/data/{suffix}/{env}{service}",
    });
  });
});
