import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFakeClock } from "@iac/sdk/testing";
import { readStoredHash } from "@iac/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncResult } from "../../src/types.js";
import { cleanupTemp, createTestRepo, makeTemp, type TestRepo } from "../helpers/git-repo.js";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";
import { type ServedFake, serveFakeDokploy } from "../helpers/serve-fake.js";
import { type ServedFakeVault, serveFakeVault } from "../helpers/serve-fake-vault.js";
import { syncWithRunner } from "../helpers/sync-with-runner.js";

const HASH_KEY = "cli-hash-key-for-tests";
const PASSWORD = "pg-password-never-printed-3f9a";
const INTERNAL_DOMAIN = "internal.example";

const FILES: Record<string, string> = {
  "iac.config.yaml": `services:
  postgres:
    vault: ["secret/data/platform/{env}/postgres"]
    env: { POSTGRES_DB: app }
`,
  "platform/01.postgres/compose.yaml":
    "services:\n  postgres:\n    image: postgres:16\n    volumes:\n      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n",
  "platform/01.postgres/init.sql": "create table a (id int);\n",
  "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7\n",
  "bootstrap/01.iac-runner/compose.yaml": "services:\n  runner:\n    image: iac-runner\n",
};

interface HashDocument {
  service: string;
  env: string;
  commit: string;
  hash: string;
  inputs: {
    compose: { path: string; digest: string };
    files: { path: string; digest: string }[];
    env: { key: string; value: string; digest: string }[];
    secrets: { key: string; digest: string }[];
  };
}

const sha256 = (text: string): string => `sha256:${createHash("sha256").update(text).digest("hex")}`;

describe("iac-runner hash (built CLI)", () => {
  let repo: TestRepo;
  let commit: string;
  let dokploy: ServedFake;
  let vault: ServedFakeVault;
  let synced: SyncResult[];
  const temps: string[] = [];

  beforeAll(async () => {
    repo = createTestRepo();
    commit = repo.commit(FILES);
    const clock = createFakeClock();
    dokploy = await serveFakeDokploy({ deploy: { mode: "auto" }, clock });
    vault = await serveFakeVault();
    vault.vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: PASSWORD });
    synced = await syncWithRunner({
      repoUrl: repo.url,
      commit,
      services: ["postgres", "redis"],
      dokploy: dokploy.dokploy,
      vault: vault.vault,
      hashKey: HASH_KEY,
      internalDomain: INTERNAL_DOMAIN,
      clock,
    });
  });

  afterAll(async () => {
    await dokploy?.close();
    await vault?.close();
    cleanupTemp(repo.dir, ...temps);
  });

  /** The runner's configuration, as `serve` would get it. */
  const runnerEnv = (overrides: Record<string, string | null> = {}): Record<string, string> => {
    const env: Record<string, string | null> = {
      VAULT_ADDR: vault.vault.address,
      VAULT_TOKEN: vault.vault.token,
      IAC_HASH_KEY: HASH_KEY,
      INTERNAL_DOMAIN,
      IAC_SECRETS_FILE: null,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== null));
  };
  const hash = (args: string[], env: Record<string, string> = runnerEnv()) =>
    runBuiltCli(["hash", "--repo", repo.dir, ...args], env);
  const storedHash = (name: string): string | null => {
    const compose = [...dokploy.dokploy.state.composes.values()].find((row) => row.name === name);
    return readStoredHash(compose?.env ?? null);
  };

  it("prints the hash the runner recorded, with every input and its digest, and never a Vault value", async () => {
    expect(synced.map((result) => result.status)).toEqual(["created", "created"]);
    const { code, stdout, stderr } = await hash(["postgres", "--json"]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    const document = JSON.parse(stdout) as HashDocument;
    expect(document.hash).toBe(storedHash("postgres"));
    expect(document.hash).toBe(synced[0]?.hashAfter);
    expect(document).toMatchObject({ service: "postgres", env: "staging", commit });
    expect(document.inputs.compose).toEqual({
      path: "platform/01.postgres/compose.yaml",
      digest: sha256(FILES["platform/01.postgres/compose.yaml"] ?? ""),
    });
    expect(document.inputs.files).toEqual([
      { path: "platform/01.postgres/init.sql", digest: sha256("create table a (id int);\n") },
    ]);
    expect(document.inputs.env).toEqual([
      { key: "ENV", value: "staging", digest: sha256("staging") },
      { key: "ENV_SUFFIX", value: "-staging", digest: sha256("-staging") },
      { key: "ENV_DOMAIN_SUFFIX", value: "-staging", digest: sha256("-staging") },
      {
        key: "DATA_PATH",
        value: "/data/platform/postgres-staging",
        digest: sha256("/data/platform/postgres-staging"),
      },
      { key: "INTERNAL_DOMAIN", value: INTERNAL_DOMAIN, digest: sha256(INTERNAL_DOMAIN) },
      { key: "VAULT_ADDR", value: vault.vault.address, digest: sha256(vault.vault.address) },
      { key: "POSTGRES_DB", value: "app", digest: sha256("app") },
    ]);
    expect(document.inputs.secrets).toEqual([
      { key: "POSTGRES_PASSWORD", digest: expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/) },
    ]);
    expect(stdout).not.toContain(PASSWORD);
    expect(document.inputs.secrets[0]?.digest).not.toBe(`hmac-sha256:${sha256(PASSWORD).slice(7)}`);
  });

  it("prints the hash and an aligned table of inputs for people", async () => {
    const { code, stdout } = await hash(["platform/01.postgres", "--ref", "HEAD"]);
    expect(code).toBe(0);
    const [first, blank, header, ...rows] = stdout.trimEnd().split("\n");
    expect(first).toBe(
      `postgres (platform/01.postgres) in staging at ${commit.slice(0, 12)} (HEAD): ${storedHash("postgres")}`,
    );
    expect(blank).toBe("");
    expect(header).toMatch(/^INPUT {4}NAME {2,}DIGEST$/);
    const digestColumn = header?.indexOf("DIGEST");
    expect(
      rows.map((row) => row.indexOf("sha256:") === digestColumn || row.indexOf("hmac-sha256:") === digestColumn),
    ).toEqual(rows.map(() => true));
    expect(rows).toContainEqual(expect.stringMatching(/^vault {4}POSTGRES_PASSWORD +hmac-sha256:[0-9a-f]{64}$/));
    expect(rows).toContainEqual(expect.stringMatching(/^env {6}POSTGRES_DB=app +sha256:/));
    expect(stdout).not.toContain(PASSWORD);
    expect(stdout).not.toContain("\u001b[");
  });

  it("matches the runner for a service without secrets, which still gets VAULT_ADDR and INTERNAL_DOMAIN", async () => {
    const { stdout } = await hash(["redis", "--json"]);
    expect((JSON.parse(stdout) as HashDocument).hash).toBe(storedHash("redis"));
    const elsewhere = await hash(["redis", "--json"], runnerEnv({ VAULT_ADDR: null, VAULT_TOKEN: null }));
    expect(elsewhere.code).toBe(0);
    expect((JSON.parse(elsewhere.stdout) as HashDocument).hash).not.toBe(storedHash("redis"));
  });

  it("reads the hash key from WEBHOOK_SECRET without IAC_HASH_KEY, and from the secrets file, like serve", async () => {
    const fromSecret = await hash(["postgres", "--json"], runnerEnv({ IAC_HASH_KEY: null, WEBHOOK_SECRET: HASH_KEY }));
    expect((JSON.parse(fromSecret.stdout) as HashDocument).hash).toBe(storedHash("postgres"));
    const dir = makeTemp();
    temps.push(dir);
    const file = join(dir, "secrets.env");
    writeFileSync(file, `IAC_HASH_KEY=${HASH_KEY}\nVAULT_TOKEN=${vault.vault.token}\n`);
    const fromFile = await hash(
      ["postgres", "--json"],
      runnerEnv({ IAC_HASH_KEY: "a-wrong-key", VAULT_TOKEN: null, IAC_SECRETS_FILE: file }),
    );
    expect((JSON.parse(fromFile.stdout) as HashDocument).hash).toBe(storedHash("postgres"));
    const wrongKey = await hash(["postgres", "--json"], runnerEnv({ IAC_HASH_KEY: "a-wrong-key" }));
    expect((JSON.parse(wrongKey.stdout) as HashDocument).hash).not.toBe(storedHash("postgres"));
  });

  it("hashes another environment with --env, DEPLOY_ENV by default", async () => {
    vault.vault.seed.secret("platform/production/postgres", { POSTGRES_PASSWORD: "another" });
    const production = await hash(["postgres", "--env", "production", "--json"]);
    const byDefault = await hash(["postgres", "--json"], runnerEnv({ DEPLOY_ENV: "production" }));
    const document = JSON.parse(production.stdout) as HashDocument;
    expect(document.env).toBe("production");
    expect(document.hash).not.toBe(storedHash("postgres"));
    expect((JSON.parse(byDefault.stdout) as HashDocument).hash).toBe(document.hash);
  });

  it.each([
    [
      "an unknown service",
      ["minio"],
      {},
      `iac-runner: unknown service "minio" at COMMIT: expected one of iac-runner, postgres, redis`,
    ],
    [
      "an unknown environment",
      ["redis", "--env", "qa"],
      {},
      'iac-runner: unknown environment "qa": expected one of staging, production (--env, default DEPLOY_ENV or staging)',
    ],
    [
      "Vault paths without Vault",
      ["postgres"],
      { VAULT_ADDR: null, VAULT_TOKEN: null },
      "iac-runner: postgres declares Vault paths: set VAULT_ADDR and VAULT_TOKEN (or VAULT_ROLE_ID and VAULT_SECRET_ID) as for iac-runner serve",
    ],
    [
      "secrets without a hash key",
      ["postgres"],
      { IAC_HASH_KEY: null },
      "iac-runner: postgres has Vault secrets, which enter the hash through an HMAC: set IAC_HASH_KEY (or WEBHOOK_SECRET) to the runner's value",
    ],
    [
      "a Vault token without a Vault address",
      ["redis"],
      { VAULT_ADDR: null },
      "iac-runner: invalid configuration: VAULT_ADDR is required when Vault credentials are set, received nothing",
    ],
    [
      "an unreadable secrets file",
      ["redis"],
      { IAC_SECRETS_FILE: "/nonexistent/secrets.env" },
      "iac-runner: invalid configuration: IAC_SECRETS_FILE names a file that cannot be read (ENOENT): /nonexistent/secrets.env",
    ],
  ])("fails with exit 1 and one line for %s", async (_name, args, overrides, line) => {
    const { code, stdout, stderr } = await hash(args, runnerEnv(overrides));
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(linesOf(stderr)).toEqual([line.replace("COMMIT", commit.slice(0, 12))]);
  });

  it("fails with the classified Vault error, its code with --verbose and --json, and no value", async () => {
    const revoked = await hash(["postgres", "--verbose"], runnerEnv({ VAULT_TOKEN: "not-a-token" }));
    expect(revoked.code).toBe(1);
    expect(linesOf(revoked.stderr)[0]).toMatch(
      /^iac-runner: postgres: Vault read of secret\/data\/platform\/staging\/postgres: permission denied \(403\)$/,
    );
    expect(linesOf(revoked.stderr)).toContain("  code: vault_permission_denied");
    vault.vault.state.secrets.delete(vault.vault.secretKey("platform/production/postgres"));
    const missing = await hash(["postgres", "--env", "production", "--json"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: "postgres: Vault secret secret/data/platform/production/postgres does not exist",
      code: "vault_secret_missing",
    });
    expect(`${revoked.stderr}${missing.stdout}${missing.stderr}`).not.toContain(PASSWORD);
  });

  it("fails with exit 1 on an invalid configuration at the commit, pointing to validate", async () => {
    const broken = repo.commit({ "iac.config.yaml": "services: { redis: { vault: [3] }, x: { env: { A: 1 } } }\n" });
    const { code, stderr } = await hash(["redis", "--ref", broken]);
    expect(code).toBe(1);
    expect(linesOf(stderr)).toEqual([
      `iac-runner: the repository at ${broken.slice(0, 12)} is invalid: services.redis.vault[0]: expected a non-empty string, received 3 (and 1 more); iac-runner validate --ref ${broken.slice(0, 12)} lists every problem`,
    ]);
  });

  it.each([
    [["hash"], /^iac-runner: expected one service, received 0 arguments/],
    [["hash", "a", "b"], /^iac-runner: expected one service, received 2 arguments/],
    [["hash", "redis", "--bogus"], /^iac-runner: Unknown option '--bogus'/],
    [["hash", "redis", "--env"], /^iac-runner: Option '--env <value>' argument missing/],
  ])("exits 2 with the usage for %j", async (args, line) => {
    const { code, stdout, stderr } = await runBuiltCli(args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(line);
    expect(stderr).toContain("Usage: iac-runner hash <service>");
  });

  it("prints its help with the exit codes", async () => {
    const { code, stdout } = await runBuiltCli(["hash", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("Exit codes:\n  0  the hash was printed\n");
  });
});
