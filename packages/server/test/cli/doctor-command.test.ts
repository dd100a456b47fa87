import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatCheckLine } from "../../src/cli/doctor/format-check-line.js";
import { closedUrl } from "../helpers/cli-stack.js";
import { cleanupTemp, createTestRepo, makeTemp, type TestRepo } from "../helpers/git-repo.js";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";
import { INFRA_FILES, SECRET } from "../helpers/runner-fixture.js";
import { startRunnerProcess } from "../helpers/runner-process.js";
import { type ServedFake, serveFakeDokploy } from "../helpers/serve-fake.js";
import { type ServedFakeVault, serveFakeVault } from "../helpers/serve-fake-vault.js";

const CONFIG = `services:
  postgres:
    vault:
      - secret/data/platform/{env}/postgres
  redis:
    vault:
      - secret/platform/{env}/redis
`;
const SECRET_VALUE = "pg-password-never-printed";

describe("iac-runner doctor (built CLI)", () => {
  let repo: TestRepo;
  let dokploy: ServedFake;
  let vault: ServedFakeVault;
  const temps: string[] = [];

  beforeAll(async () => {
    repo = createTestRepo();
    repo.commit({ ...INFRA_FILES, "iac.config.yaml": CONFIG });
    dokploy = await serveFakeDokploy();
    vault = await serveFakeVault({
      tokens: [
        "runner-token",
        { token: "limited-token", allow: ["secret/data/platform/staging/postgres"] },
        { token: "short-token", ttl: 5 * 3600, renewable: false },
      ],
    });
    vault.vault.seed.appRole({ roleName: "runner", roleId: "runner-role", secretIds: ["runner-secret-id"] });
    vault.vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: SECRET_VALUE });
    vault.vault.seed.secret("platform/staging/redis", { REDIS_PASSWORD: SECRET_VALUE });
  });

  afterAll(async () => {
    await dokploy?.close();
    await vault?.close();
    cleanupTemp(repo.dir, ...temps);
  });

  const dataDir = (): string => {
    const dir = makeTemp("iac-doctor-data-");
    temps.push(dir);
    return dir;
  };

  /** A valid configuration with a fresh data folder; `null` removes a variable. */
  const environment = (overrides: Record<string, string | null> = {}): Record<string, string> => {
    const env: Record<string, string | null> = {
      WEBHOOK_SECRET: SECRET,
      GIT_REPO_URL: repo.url,
      DOKPLOY_URL: dokploy.dokploy.baseUrl,
      DOKPLOY_API_KEY: dokploy.dokploy.apiKey,
      VAULT_ADDR: vault.vault.address,
      VAULT_TOKEN: "runner-token",
      IAC_DATA_DIR: dataDir(),
      ...overrides,
    };
    return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== null));
  };

  const doctor = (overrides: Record<string, string | null> = {}, args: string[] = []) =>
    runBuiltCli(["doctor", ...args], environment(overrides));

  /** The line of the check `name` (the first one when it has several). */
  const lineOf = (stdout: string, name: string): string | undefined =>
    linesOf(stdout).find((line) => line.replace(/^\S+ /, "").startsWith(`${name}: `));

  it("exits 0 with one ok line per check when everything works", async () => {
    const env = environment();
    const { IAC_DATA_DIR = "" } = env;
    const run = await runBuiltCli(["doctor"], env);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const head = repo.head().slice(0, 12);
    expect(linesOf(run.stdout)).toEqual([
      "ok configuration: valid, read from the environment; DEPLOY_ENV staging",
      `ok git: ${repo.url} branch main at ${head}`,
      `ok iac.config.yaml: valid at ${head}: 2 services synced to staging (postgres, redis)`,
      `ok Dokploy: ${dokploy.dokploy.baseUrl} accepts the API key (0 projects visible)`,
      "ok Vault: token never expires (policies default)",
      "ok Vault paths: 2 paths of 2 services readable for staging",
      `ok job store: SQLite ${join(IAC_DATA_DIR, "iac-runner.db")} does not exist yet; the runner creates it at start`,
      "all checks passed",
    ]);
    expect(run.stdout).not.toContain(SECRET_VALUE);
  });

  it("--json prints one document with every check", async () => {
    const run = await doctor({}, ["--json"]);
    expect(run.code).toBe(0);
    expect(linesOf(run.stdout)).toHaveLength(1);
    const body = JSON.parse(run.stdout) as { ok: boolean; checks: Array<{ name: string; status: string }> };
    expect(body.ok).toBe(true);
    expect(body.checks.map((check) => [check.name, check.status])).toEqual([
      ["configuration", "ok"],
      ["git", "ok"],
      ["iac.config.yaml", "ok"],
      ["Dokploy", "ok"],
      ["Vault", "ok"],
      ["Vault paths", "ok"],
      ["job store", "ok"],
    ]);
  });

  it("lists every missing or invalid variable at once and skips the checks that need them", async () => {
    const run = await doctor({ WEBHOOK_SECRET: null, GIT_REPO_URL: null, DOKPLOY_API_KEY: "", PORT: "http" });
    expect(run.code).toBe(1);
    const lines = linesOf(run.stdout);
    expect(lines.filter((line) => line.startsWith("FAIL configuration: "))).toEqual([
      expect.stringMatching(
        /^FAIL configuration: WEBHOOK_SECRET is required: .*received nothing -> set WEBHOOK_SECRET /,
      ),
      expect.stringMatching(/^FAIL configuration: GIT_REPO_URL is required: .*received nothing -> set GIT_REPO_URL /),
      expect.stringMatching(
        /^FAIL configuration: DOKPLOY_API_KEY is required: .*received an empty value -> set DOKPLOY_API_KEY /,
      ),
      expect.stringMatching(
        /^FAIL configuration: PORT must be an integer from 0 to 65535, received "http" -> correct PORT /,
      ),
    ]);
    expect(lineOf(run.stdout, "git")).toBe("SKIP git: not checked: fix GIT_REPO_URL first");
    expect(lineOf(run.stdout, "Dokploy")).toBe("SKIP Dokploy: not checked: fix DOKPLOY_API_KEY first");
    expect(lineOf(run.stdout, "Vault")).toBe("ok Vault: token never expires (policies default)");
    expect(run.stderr).toBe("iac-runner: doctor found 4 problems (configuration)\n");
  });

  it("reads the secrets file like serve: its values override the environment", async () => {
    const dir = dataDir();
    const file = join(dir, "secrets.env");
    writeFileSync(file, `DOKPLOY_API_KEY=${dokploy.dokploy.apiKey}\n`);
    const run = await doctor({ DOKPLOY_API_KEY: "wrong-key", IAC_SECRETS_FILE: file });
    expect(run.code).toBe(0);
    expect(lineOf(run.stdout, "configuration")).toBe(
      `ok configuration: valid, read from the environment and ${file}; DEPLOY_ENV staging`,
    );
    const missing = await doctor({ IAC_SECRETS_FILE: join(dir, "missing.env") });
    expect(missing.code).toBe(1);
    expect(linesOf(missing.stdout)[0]).toMatch(
      /^FAIL configuration: IAC_SECRETS_FILE names a file that cannot be read \(ENOENT\): .*missing\.env -> /,
    );
  });

  it("fails the Dokploy line when the API key is refused", async () => {
    const run = await doctor({ DOKPLOY_API_KEY: "revoked-key" });
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, "Dokploy")).toBe(
      `FAIL Dokploy: ${dokploy.dokploy.baseUrl} refused the API key (HTTP 401) -> DOKPLOY_API_KEY is wrong, revoked, or lacks access: create a key under Settings → Profile → API/CLI`,
    );
    expect(lineOf(run.stdout, "git")).toMatch(/^ok git: /);
    expect(run.stderr).toBe("iac-runner: doctor found 1 problem (Dokploy)\n");
  });

  it("fails the Dokploy line when Dokploy does not answer", async () => {
    const url = await closedUrl();
    const run = await doctor({ DOKPLOY_URL: url });
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, "Dokploy")).toBe(
      `FAIL Dokploy: cannot reach ${url}: connection refused (ECONNREFUSED) -> check DOKPLOY_URL and that Dokploy is up and reachable from here`,
    );
  });

  it("fails the git line for a repository that cannot be read, and skips what needs its content", async () => {
    const run = await doctor({ GIT_REPO_URL: "file:///nonexistent/infra.git" });
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, "git")).toMatch(
      /^FAIL git: cannot read file:\/\/\/nonexistent\/infra\.git: git ls-remote failed: exit 128: fatal: .*nonexistent.* -> check GIT_REPO_URL /,
    );
    expect(lineOf(run.stdout, "iac.config.yaml")).toBe(
      "SKIP iac.config.yaml: not checked: the repository could not be read",
    );
    expect(lineOf(run.stdout, "Vault paths")).toMatch(/^SKIP Vault paths: /);
    expect(run.stderr).toBe("iac-runner: doctor found 1 problem (git)\n");
  });

  it("fails the git line for a branch that does not exist", async () => {
    const run = await doctor({ GIT_BRANCH: "release" });
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, "git")).toBe(
      `FAIL git: branch "release" does not exist in ${repo.url} -> set GIT_BRANCH to the branch whose pushes deploy (default main)`,
    );
  });

  it("fails a Vault path the token may not read, naming the path and the service", async () => {
    const run = await doctor({ VAULT_TOKEN: "limited-token" });
    expect(run.code).toBe(1);
    expect(linesOf(run.stdout).filter((line) => line.includes("Vault paths"))).toEqual([
      'FAIL Vault paths: secret/data/platform/staging/redis (redis): permission denied (HTTP 403) -> grant the runner\'s policy: path "secret/data/platform/staging/redis" { capabilities = ["read"] }',
    ]);
    expect(run.stdout).not.toContain(SECRET_VALUE);
  });

  it("fails Vault paths whose secrets do not exist for DEPLOY_ENV", async () => {
    const run = await doctor({ DEPLOY_ENV: "production" });
    expect(run.code).toBe(1);
    expect(linesOf(run.stdout).filter((line) => line.includes("Vault paths"))).toEqual([
      "FAIL Vault paths: secret/data/platform/production/postgres (postgres): does not exist -> write it: vault kv put -mount=secret platform/production/postgres KEY=value",
      "FAIL Vault paths: secret/data/platform/production/redis (redis): does not exist -> write it: vault kv put -mount=secret platform/production/redis KEY=value",
    ]);
  });

  it("fails the Vault line for a token Vault refuses", async () => {
    const run = await doctor({ VAULT_TOKEN: "unknown-token" });
    expect(run.code).toBe(1);
    expect(lineOf(run.stdout, "Vault")).toBe(
      `FAIL Vault: ${vault.vault.address} refused the token (HTTP 403) -> VAULT_TOKEN is wrong, expired or revoked: issue a new one (or use AppRole)`,
    );
    expect(lineOf(run.stdout, "Vault paths")).toMatch(/^SKIP Vault paths: /);
  });

  it("warns, without failing, about a token that expires within a day and cannot be renewed", async () => {
    const run = await doctor({ VAULT_TOKEN: "short-token" });
    expect(run.code).toBe(0);
    expect(lineOf(run.stdout, "Vault")).toMatch(
      /^WARN Vault: token expires in (4 h 59|5 h 0) min and is not renewable \(policies default\) -> issue a renewable token /,
    );
    expect(linesOf(run.stdout).at(-1)).toBe("all checks passed, 1 warning");
  });

  it("logs in with AppRole like the runner, and fails the Vault line when the login is refused", async () => {
    const appRole = { VAULT_TOKEN: null, VAULT_ROLE_ID: "runner-role", VAULT_SECRET_ID: "runner-secret-id" };
    const run = await doctor(appRole);
    expect(run.code).toBe(0);
    expect(lineOf(run.stdout, "Vault")).toBe(
      "ok Vault: AppRole login works (policies default; the runner logs in again as needed)",
    );
    expect(lineOf(run.stdout, "Vault paths")).toBe("ok Vault paths: 2 paths of 2 services readable for staging");
    const refused = await doctor({ ...appRole, VAULT_SECRET_ID: "expired-secret-id" });
    expect(refused.code).toBe(1);
    expect(lineOf(refused.stdout, "Vault")).toMatch(
      /^FAIL Vault: http:\/\/127\.0\.0\.1:\d+ refused the AppRole login \(HTTP \d+\) -> check VAULT_ROLE_ID and VAULT_SECRET_ID/,
    );
  });

  describe("the job store", () => {
    let stop: (() => Promise<void>) | undefined;

    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });

    it("says a SQLite store held by a running runner is in use, and reads it once the runner stopped", async () => {
      const env = environment();
      const runner = await startRunnerProcess(env);
      stop = () => runner.kill("SIGTERM");
      const { IAC_DATA_DIR = "" } = env;
      const path = join(IAC_DATA_DIR, "iac-runner.db");
      const busy = await runBuiltCli(["doctor"], env);
      expect(busy.code).toBe(1);
      expect(lineOf(busy.stdout, "job store")).toMatch(
        new RegExp(`^FAIL job store: SQLite ${path} is in use by a running runner -> stop the runner `),
      );
      expect(busy.stderr).toBe("iac-runner: doctor found 1 problem (job store)\n");
      await runner.kill("SIGTERM");
      const free = await runBuiltCli(["doctor"], env);
      expect(free.code).toBe(0);
      expect(lineOf(free.stdout, "job store")).toMatch(
        new RegExp(`^ok job store: SQLite ${path} \\(schema version \\d+\\)$`),
      );
    }, 60_000);

    it("fails when PostgreSQL at IAC_DATABASE_URL does not answer, without showing the password", async () => {
      const url = new URL(await closedUrl());
      const run = await doctor({ IAC_DATABASE_URL: `postgres://iac:hunter2-password@127.0.0.1:${url.port}/iac` });
      expect(run.code).toBe(1);
      expect(lineOf(run.stdout, "job store")).toMatch(
        new RegExp(
          `^FAIL job store: could not connect to PostgreSQL at 127\\.0\\.0\\.1:${url.port}/iac: .*ECONNREFUSED`,
        ),
      );
      expect(run.stdout).not.toContain("hunter2-password");
    });
  });

  it("marks lines with symbols on a terminal and with words otherwise", () => {
    const result = { name: "git", status: "fail" as const, message: "cannot read x", fix: "check GIT_REPO_URL" };
    expect(formatCheckLine(result, true)).toBe("✗ git: cannot read x → check GIT_REPO_URL\n");
    expect(formatCheckLine(result, false)).toBe("FAIL git: cannot read x -> check GIT_REPO_URL\n");
    expect(formatCheckLine({ name: "Vault", status: "ok", message: "fine" }, true)).toBe("✓ Vault: fine\n");
  });
});
