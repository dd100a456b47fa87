import { configHash, legacyConfigHash, readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/catalog.js";
import { readPlainInputs } from "../../src/engine/read-plain-inputs.js";
import { readServiceInputs } from "../../src/engine/read-service-inputs.js";
import { noopLogger } from "../../src/logging/noop-logger.js";
import { composeNamed, createHarness, HASH_KEY, PG_PASSWORD, POSTGRES_COMPOSE, useMsw } from "./harness.js";

const server = useMsw();

describe("readServiceInputs", () => {
  it("computes the hash syncService records, from the same inputs", async () => {
    const h = await createHarness(server);
    const result = await h.syncOne("postgres");
    const { config, catalog } = await loadCatalog(h.git, h.base);
    const service = catalog.services.find((candidate) => candidate.name === "postgres");
    const { staging: environment } = config.environments;
    if (service === undefined || environment === undefined) {
      throw new Error("fixture without postgres or staging");
    }
    const inputs = await readServiceInputs(
      h.context,
      { commit: h.base, env: "staging", environment, service },
      noopLogger,
    );
    expect(inputs.hash).toBe(result.hashAfter);
    expect(inputs.hash).toBe(readStoredHash(composeNamed(h.dokploy, "postgres")?.env));
    expect(inputs.hash).toBe(configHash(inputs.hashInput));
    expect(inputs.legacyHash).toBe(legacyConfigHash(POSTGRES_COMPOSE, inputs.env));
    expect(inputs.secrets).toEqual({ POSTGRES_PASSWORD: PG_PASSWORD });
    expect(inputs.hashInput).toEqual({
      compose: POSTGRES_COMPOSE,
      files: {
        "platform/01.postgres/init.sql": new TextEncoder().encode("create table a (id int);\n"),
        "platform/01.postgres/pg.env": new TextEncoder().encode("PGDATA=/var/lib/postgresql/data/pgdata\n"),
      },
      env: inputs.env,
      secrets: { POSTGRES_PASSWORD: PG_PASSWORD },
      secretKey: HASH_KEY,
    });
  });

  it("reads the plain inputs alone without Vault, and fails the secrets without it", async () => {
    const h = await createHarness(server);
    const { config, catalog } = await loadCatalog(h.git, h.base);
    const service = catalog.services.find((candidate) => candidate.name === "postgres");
    const { staging: environment } = config.environments;
    if (service === undefined || environment === undefined) {
      throw new Error("fixture without postgres or staging");
    }
    const target = { commit: h.base, env: "staging", environment, service };
    const source = { git: h.git, vaultAddress: "https://vault.example", internalDomain: "internal.example" };
    const plain = await readPlainInputs(source, target);
    expect(plain.compose).toBe(POSTGRES_COMPOSE);
    expect([...plain.files.keys()]).toEqual(["platform/01.postgres/init.sql", "platform/01.postgres/pg.env"]);
    expect(plain.env).toEqual({
      ENV: "staging",
      ENV_SUFFIX: "-staging",
      ENV_DOMAIN_SUFFIX: "-staging",
      DATA_PATH: "/data/platform/postgres-staging",
      INTERNAL_DOMAIN: "internal.example",
      VAULT_ADDR: "https://vault.example",
      POSTGRES_DB: "app",
    });
    await expect(readServiceInputs({ ...source, vault: undefined }, target, noopLogger)).rejects.toMatchObject({
      code: "vault_unreachable",
    });
    await expect(readServiceInputs({ ...h.context, hashKey: undefined }, target, noopLogger)).rejects.toThrow(
      TypeError,
    );
  });
});
