import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { createFakeClock, type FakeClock } from "@iac/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closedUrl } from "../helpers/cli-stack.js";
import { cleanupTemp, createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";
import { type ServedFake, serveFakeDokploy } from "../helpers/serve-fake.js";
import { type ServedFakeVault, serveFakeVault } from "../helpers/serve-fake-vault.js";
import { syncWithRunner } from "../helpers/sync-with-runner.js";

const HASH_KEY = "plan-hash-key-for-tests";
const PASSWORD = "pg-password-never-printed-81c2";
const ROTATED = "pg-password-rotated-never-printed-77d0";

const BASE: Record<string, string> = {
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
  "README.md": "# infra\n",
};

interface Preview {
  service: string;
  action: string | null;
  decision: { code: string } | null;
  storedHash: string | null;
  hash: string | null;
  deployed: { commit: string | null; title: string } | null;
  changes: {
    compose: boolean;
    files: { name: string; change: string }[];
    env: { name: string; change: string }[];
    outsideGit: boolean;
  } | null;
  note: string | null;
  error: { code: string; message: string } | null;
}

interface PlanDocument {
  env: string;
  commit: string;
  since: { ref: string; commit: string } | null;
  changes: boolean;
  summary: Record<string, number>;
  services: Preview[];
  skipped: { path?: string; reason: string }[];
}

/** Everything in the fake Dokploy that a write could change. */
function snapshot(fake: ServedFake): string {
  const { state } = fake.dokploy;
  return JSON.stringify({
    projects: [...state.projects.values()],
    environments: [...state.environments.values()],
    composes: [...state.composes.values()],
    deployments: [...state.deployments.values()],
    mounts: [...state.mounts.values()],
    deployCalls: state.deployCalls.length,
  });
}

const mirrors = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith("iac-runner-repo-"));

describe("iac-runner plan (built CLI)", () => {
  let repo: TestRepo;
  let clock: FakeClock;
  let dokploy: ServedFake;
  let vault: ServedFakeVault;
  let base: string;
  let changed: string;
  let configChanged: string;

  beforeAll(async () => {
    repo = createTestRepo();
    base = repo.commit(BASE, "base");
    clock = createFakeClock();
    dokploy = await serveFakeDokploy({ deploy: { mode: "auto" }, clock });
    vault = await serveFakeVault();
    vault.vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: PASSWORD });
    const results = await syncWithRunner({
      repoUrl: repo.url,
      commit: base,
      services: ["postgres", "redis"],
      dokploy: dokploy.dokploy,
      vault: vault.vault,
      hashKey: HASH_KEY,
      clock,
    });
    expect(results.map((result) => result.status)).toEqual(["created", "created"]);
    changed = repo.commit(
      {
        "platform/01.postgres/init.sql": "create table a (id int, name text);\n",
        "platform/03.minio/compose.yaml": "services:\n  minio:\n    image: minio/minio\n",
        "README.md": "# infra, documented\n",
      },
      "postgres schema, new minio",
    );
    configChanged = repo.commit(
      { "iac.config.yaml": `${BASE["iac.config.yaml"]}  redis:\n    env: { REDIS_PORT: "6379" }\n` },
      "redis port",
    );
  });

  afterAll(async () => {
    await dokploy?.close();
    await vault?.close();
    cleanupTemp(repo?.dir ?? "");
  });

  const runnerEnv = (overrides: Record<string, string | null> = {}): Record<string, string> => {
    const env: Record<string, string | null> = {
      DOKPLOY_URL: dokploy.dokploy.baseUrl,
      DOKPLOY_API_KEY: dokploy.dokploy.apiKey,
      VAULT_ADDR: vault.vault.address,
      VAULT_TOKEN: vault.vault.token,
      IAC_HASH_KEY: HASH_KEY,
      IAC_SECRETS_FILE: null,
      ...overrides,
    };
    return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== null));
  };
  const plan = (args: string[], env = runnerEnv()) => runBuiltCli(["plan", ...args], env);
  const planJson = async (args: string[], env = runnerEnv()) => {
    const run = await plan([...args, "--json"], env);
    return { ...run, document: JSON.parse(run.stdout) as PlanDocument };
  };
  const byService = (document: PlanDocument): Record<string, Preview> =>
    Object.fromEntries(document.services.map((preview) => [preview.service, preview]));

  it("plans nothing at the commit the runner synced: every service skipped, exit 0", async () => {
    const { code, document, stderr } = await planJson(["--repo", repo.dir, "--ref", base]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(document).toMatchObject({ env: "staging", commit: base, since: null, changes: false });
    expect(document.summary).toEqual({ create: 0, update: 0, skip: 2, error: 0 });
    const { postgres, redis } = byService(document);
    expect(postgres).toMatchObject({ action: "skip", decision: { code: "up_to_date" }, changes: null, error: null });
    expect(postgres?.storedHash).toBe(postgres?.hash);
    expect(redis?.deployed).toEqual({
      deploymentId: expect.any(String),
      title: `iac-runner ${base.slice(0, 12)}`,
      createdAt: expect.any(String),
      commit: base,
    });
  });

  it("plans what changed since the deployed commit: update with the changed files, create, skip; exit 2", async () => {
    const { code, document } = await planJson(["--repo", repo.dir, "--ref", changed]);
    expect(code).toBe(2);
    expect(document.summary).toEqual({ create: 1, update: 1, skip: 1, error: 0 });
    expect(document.changes).toBe(true);
    const { postgres, redis, minio } = byService(document);
    expect(postgres).toMatchObject({
      action: "update",
      decision: { code: "hash_changed" },
      deployed: { commit: base },
      changes: {
        compose: false,
        files: [{ name: "platform/01.postgres/init.sql", change: "modified" }],
        env: [],
        outsideGit: false,
      },
      note: null,
    });
    expect(postgres?.hash).not.toBe(postgres?.storedHash);
    expect(redis).toMatchObject({ action: "skip", decision: { code: "up_to_date" } });
    expect(minio).toMatchObject({
      action: "create",
      decision: { code: "missing" },
      storedHash: null,
      hash: expect.stringMatching(/^v2:[0-9a-f]{64}$/),
      changes: null,
      note: "no compose in Dokploy yet",
    });
  });

  it("prints an aligned table without colour when stdout is not a terminal, and never a secret", async () => {
    const { code, stdout, stderr } = await plan(["--repo", repo.dir, "--ref", changed]);
    expect({ code, stderr }).toEqual({ code: 2, stderr: "" });
    const lines = stdout.split("\n");
    expect(lines[0]).toBe(`Plan for staging at ${changed.slice(0, 12)} (${changed}), every automatic service:`);
    const header = lines[2] ?? "";
    expect(header).toMatch(/^SERVICE {3}ACTION {2}STORED {11}NEW {14}REASON$/);
    const column = (name: string) => header.indexOf(name);
    const rows = lines.slice(3, 6);
    expect(rows.map((row) => row.split(/\s{2,}/)[0])).toEqual(["minio", "postgres", "redis"]);
    for (const row of rows) {
      expect(row.slice(column("ACTION")).match(/^(create|update|skip)/)).not.toBeNull();
      expect(row.slice(column("REASON") - 2, column("REASON"))).toBe("  ");
    }
    expect(rows[0]).toMatch(/^minio {5}create {2}- {16}v2:[0-9a-f]{12} {2}not deployed yet$/);
    expect(rows[1]).toMatch(/^postgres {2}update {2}v2:[0-9a-f]{12} {2}v2:[0-9a-f]{12} {2}config changed$/);
    expect(stdout).toContain(`  postgres: since ${base.slice(0, 12)}: platform/01.postgres/init.sql modified\n`);
    expect(stdout).toContain("  minio: no compose in Dokploy yet\n");
    expect(stdout).toMatch(/\n2 to deploy \(1 create, 1 update\), 1 up to date\n$/);
    expect(stdout).not.toContain("\u001b[");
    expect(stdout).not.toContain(PASSWORD);
  });

  it("lists the changed env keys of a service whose settings changed", async () => {
    const { code, document } = await planJson(["--repo", repo.dir, "--ref", configChanged]);
    expect(code).toBe(2);
    const { redis } = byService(document);
    expect(redis).toMatchObject({
      action: "update",
      changes: { compose: false, files: [], env: [{ name: "REDIS_PORT", change: "added" }], outsideGit: false },
    });
  });

  it("plans only the services changed since --since, mapped like a push", async () => {
    const { code, document } = await planJson(["--repo", repo.dir, "--ref", changed, "--since", base]);
    expect(code).toBe(2);
    expect(document.since).toEqual({ ref: base, commit: base });
    expect(document.services.map((preview) => [preview.service, preview.action])).toEqual([
      ["minio", "create"],
      ["postgres", "update"],
    ]);
    expect(document.skipped).toEqual([expect.objectContaining({ path: "README.md", reason: "outside_layers" })]);
    const nothing = await planJson(["--repo", repo.dir, "--ref", base, "--since", base]);
    expect({ code: nothing.code, services: nothing.document.services }).toEqual({ code: 0, services: [] });
  });

  it("says Vault secrets changed when the hash moved but no file or env key did", async () => {
    vault.vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: ROTATED });
    try {
      const { code, document } = await planJson(["--repo", repo.dir, "--ref", base]);
      expect(code).toBe(2);
      const { postgres } = byService(document);
      expect(postgres).toMatchObject({
        action: "update",
        changes: { compose: false, files: [], env: [], outsideGit: true },
      });
      const text = await plan(["--repo", repo.dir, "--ref", base]);
      expect(text.stdout).toContain(
        `  postgres: no file or env key changed since ${base.slice(0, 12)}: Vault secrets (or something else not in git) changed\n`,
      );
      expect(`${text.stdout}${text.stderr}${JSON.stringify(document)}`).not.toMatch(
        new RegExp(`${PASSWORD}|${ROTATED}`),
      );
    } finally {
      vault.vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: PASSWORD });
    }
  });

  it("never creates or changes anything in Dokploy: only reads", async () => {
    const before = snapshot(dokploy);
    const from = dokploy.requests.length;
    await plan(["--repo", repo.dir, "--ref", changed, "--env", "production"]);
    await plan(["--repo", repo.dir, "--ref", configChanged]);
    expect(snapshot(dokploy)).toBe(before);
    expect(new Set(dokploy.requests.slice(from))).toEqual(
      new Set(["/api/project.all", "/api/compose.one", "/api/deployment.allByCompose"]),
    );
  });

  it("plans a repository URL through a temporary mirror it removes, HEAD being the remote's default branch", async () => {
    const before = mirrors();
    const { code, document } = await planJson(["--repo", repo.url]);
    expect(code).toBe(2);
    expect(document.commit).toBe(repo.head());
    expect(document.services.map((preview) => [preview.service, preview.action])).toEqual([
      ["minio", "create"],
      ["postgres", "update"],
      ["redis", "update"],
    ]);
    const branch = await planJson(["--repo", repo.url, "--ref", "main"]);
    expect(branch.document.commit).toBe(repo.head());
    expect(mirrors()).toEqual(before);
  });

  it("cannot compare with a last deployment the runner did not make, and says so", async () => {
    const compose = [...dokploy.dokploy.state.composes.values()].find((row) => row.name === "redis");
    clock.advance(3_600_000);
    dokploy.dokploy.seed.deployment({
      composeId: compose?.composeId ?? "",
      title: "Manual deployment",
      status: "done",
    });
    const { document } = await planJson(["--repo", repo.dir, "--ref", configChanged]);
    const { redis: planned } = byService(document);
    expect(planned).toMatchObject({
      action: "update",
      deployed: { title: "Manual deployment", commit: null },
      changes: null,
      note: 'the last deployment ("Manual deployment") was not made by iac-runner',
    });
  });

  it("reports a service it cannot hash as an error row, plans the others, and exits 1", async () => {
    const { code, stdout, stderr } = await plan(["--repo", repo.dir, "--ref", changed, "--env", "production"]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /\npostgres +error +- +- +vault_secret_missing: Vault secret secret\/data\/platform\/production\/postgres does not exist\n/,
    );
    expect(stdout).toMatch(/\nredis +create +- +v2:[0-9a-f]{12} +not deployed yet\n/);
    expect(stdout).toMatch(/\n2 to deploy \(2 create, 0 update\), 0 up to date, 1 failed\n$/);
    expect(linesOf(stderr)).toEqual([
      "iac-runner: postgres: Vault secret secret/data/platform/production/postgres does not exist",
    ]);
  });

  it.each([
    [
      "no Dokploy URL",
      [],
      { DOKPLOY_URL: null },
      "iac-runner: invalid configuration: DOKPLOY_URL is required: expected the Dokploy base URL, received nothing",
    ],
    [
      "a wrong Dokploy API key",
      [],
      { DOKPLOY_API_KEY: "wrong" },
      "iac-runner: Dokploy project.all: expected an API key with access, received 401",
    ],
    [
      "an unknown environment",
      ["--env", "qa"],
      {},
      'iac-runner: unknown environment "qa": expected one of staging, production (--env, default DEPLOY_ENV or staging)',
    ],
    ["an unknown --since", ["--since", "nope"], {}, 'iac-runner: --since "nope" names no commit in REPO'],
    ["an unknown --ref", ["--ref", "v9.9.9"], {}, 'iac-runner: --ref "v9.9.9" names no commit in REPO'],
  ])("fails with exit 1 and one line for %s", async (_name, args, overrides, line) => {
    const { code, stdout, stderr } = await plan(["--repo", repo.dir, ...args], runnerEnv(overrides));
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(linesOf(stderr)).toEqual([line.replace("REPO", repo.dir)]);
  });

  it("fails with exit 1 when Dokploy does not answer, and with a JSON error document with --json", async () => {
    const url = await closedUrl();
    const { code, stderr } = await plan(["--repo", repo.dir], runnerEnv({ DOKPLOY_URL: url }));
    expect(code).toBe(1);
    expect(linesOf(stderr)).toEqual([
      expect.stringMatching(/^iac-runner: Dokploy project\.all: expected a response, received none \(ECONNREFUSED\)$/),
    ]);
    const json = await plan(["--repo", repo.dir, "--json"], runnerEnv({ DOKPLOY_API_KEY: "wrong" }));
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: "Dokploy project.all: expected an API key with access, received 401",
      code: "dokploy_auth_failed",
    });
  });

  it("fails with exit 1 when the repository URL cannot be fetched", async () => {
    const before = mirrors();
    const { code, stderr } = await plan(["--repo", "file:///nonexistent/infra.git"]);
    expect(code).toBe(1);
    expect(linesOf(stderr)).toEqual([
      expect.stringMatching(/^iac-runner: cannot fetch file:\/\/\/nonexistent\/infra\.git: git fetch failed: exit 128/),
    ]);
    expect(mirrors()).toEqual(before);
  });

  it.each([
    [["plan", "--bogus"], /^iac-runner: Unknown option '--bogus'/],
    [["plan", "extra"], /^iac-runner: Unexpected argument 'extra'/],
    [["plan", "--since"], /^iac-runner: Option '--since <value>' argument missing/],
  ])("exits 1, not 2 (which means changes), with the usage for %j", async (args, line) => {
    const { code, stdout, stderr } = await runBuiltCli(args);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(stderr).toMatch(line);
    expect(stderr).toContain("Usage: iac-runner plan [--env <env>]");
  });

  it("prints its help with the exit codes", async () => {
    const { code, stdout } = await runBuiltCli(["plan", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "  0  nothing would deploy\n  1  error, usage errors included\n  2  something would be created or updated\n",
    );
  });
});
