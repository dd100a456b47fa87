import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { cleanupTemp, createTestRepo, makeTemp, type TestRepo } from "../helpers/git-repo.js";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";
import { BUILT_CLI } from "../helpers/runner-process.js";

const POSTGRES_COMPOSE = `services:
  postgres:
    image: postgres:16
    env_file: ./pg.env
    volumes:
      - ./init.sql:/docker-entrypoint-initdb.d/init.sql:ro
      - pgdata:/var/lib/postgresql/data
volumes:
  pgdata: {}
`;

const VALID_FILES: Record<string, string> = {
  "iac.config.yaml": `services:
  postgres:
    vault: ["secret/data/platform/{env}/postgres"]
    env: { POSTGRES_DB: app, GREETING: "hello world" }
`,
  "platform/01.postgres/compose.yaml": POSTGRES_COMPOSE,
  "platform/01.postgres/init.sql": "create table a (id int);\n",
  "platform/01.postgres/pg.env": "PGDATA=/var/lib/postgresql/data/pgdata\n",
  "platform/01.postgres/README.md": "notes\n",
  "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7\n",
  "platform/03.wip/notes.md": "not a service yet\n",
  "bootstrap/01.iac-runner/compose.yaml": "services:\n  runner:\n    image: iac-runner\n",
};

/** Three problems in iac.config.yaml, on lines 8, 9 and 10. */
const BROKEN_FILES: Record<string, string> = {
  "iac.config.yaml": `layers:
  platform: auto
  bootstrap: manual
services:
  postgres:
    vault: ["secret"]
  redis:
    vault: [3]
    compse: compose.yaml
    env: { PORT: 6379 }
`,
};

interface Documented {
  valid: boolean;
  commit: string;
  hasConfig: boolean;
  services: Array<Record<string, unknown>> | null;
  problems: Array<Record<string, unknown>>;
  warnings: Array<Record<string, unknown>>;
}

describe("iac-runner validate (built CLI)", () => {
  let repo: TestRepo;
  let valid: string;
  let broken: string;
  const temps: string[] = [];

  beforeAll(() => {
    repo = createTestRepo();
    valid = repo.commit(VALID_FILES, "valid");
    broken = repo.commit(BROKEN_FILES, "broken config");
    // Bytes that are no UTF-8 (commit() writes strings, always UTF-8): committed with the next commit.
    mkdirSync(join(repo.dir, "platform/06.logo"), { recursive: true });
    writeFileSync(join(repo.dir, "platform/06.logo/logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe]));
    repo.commit(
      {
        "iac.config.yaml": VALID_FILES["iac.config.yaml"] ?? "",
        "platform/04.redis/compose.yaml": "services:\n  redis:\n    image: redis:7\n",
        "platform/05.app/compose.yaml": "services:\n  app:\n    build: .\n",
        "platform/06.logo/compose.yaml": "services:\n  web:\n    volumes:\n      - ./logo.png:/logo.png\n",
      },
      "broken tree",
    );
  });

  afterAll(() => cleanupTemp(repo.dir, ...temps));

  const validate = (...args: string[]) => runBuiltCli(["validate", "--repo", repo.dir, ...args]);

  it("prints the catalog of a valid commit and exits 0, with warnings on stderr", async () => {
    const { code, stdout, stderr } = await validate("--ref", valid);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `iac.config.yaml at ${valid.slice(0, 12)} (${valid}): valid, 3 services (2 synced on push), environments staging, production`,
    );
    expect(stdout).toContain("postgres  platform/01.postgres  (layer platform, auto: synced on push)");
    expect(stdout).toContain("iac-runner  bootstrap/01.iac-runner  (layer bootstrap, manual: deployed by hand)");
    expect(stdout).toMatch(
      /\n {2}files {4}platform\/01\.postgres\/README\.md\n {11}platform\/01\.postgres\/init\.sql\n {11}platform\/01\.postgres\/pg\.env\n/,
    );
    expect(stdout).toMatch(/\n {2}mounts {3}platform\/01\.postgres\/init\.sql\n {11}platform\/01\.postgres\/pg\.env\n/);
    expect(stdout).toMatch(/\n {2}env {6}POSTGRES_DB=app\n {11}GREETING="hello world"\n/);
    expect(stdout).toContain("  vault    secret/data/platform/{env}/postgres\n");
    expect(linesOf(stderr)).toEqual([
      "iac-runner: warning: platform/03.wip is not a service: expected a compose file (compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml), found none",
    ]);
  });

  it("prints one JSON document with --json", async () => {
    const { code, stdout } = await validate("--ref", valid, "--json");
    expect(code).toBe(0);
    const document = JSON.parse(stdout) as Documented;
    expect(document).toMatchObject({ valid: true, commit: valid, hasConfig: true, problems: [] });
    expect(document.warnings).toEqual([
      {
        file: "platform/03.wip",
        keyPath: null,
        line: null,
        column: null,
        code: "missing_compose",
        message: expect.stringContaining("is not a service"),
      },
    ]);
    expect(document.services?.map(({ name }) => name)).toEqual(["iac-runner", "postgres", "redis"]);
    expect(document.services?.[1]).toEqual({
      name: "postgres",
      layer: "platform",
      folder: "platform/01.postgres",
      mode: "auto",
      syncable: true,
      compose: "platform/01.postgres/compose.yaml",
      files: ["platform/01.postgres/README.md", "platform/01.postgres/init.sql", "platform/01.postgres/pg.env"],
      mounts: ["platform/01.postgres/init.sql", "platform/01.postgres/pg.env"],
      env: { POSTGRES_DB: "app", GREETING: "hello world" },
      vault: ["secret/data/platform/{env}/postgres"],
      dokploy: { project: "platform", environment: null, compose: "postgres" },
    });
  });

  it("reports every problem of iac.config.yaml at once, each on its own line with its location, and exits 1", async () => {
    const { code, stdout, stderr } = await validate("--ref", broken);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(linesOf(stderr)).toEqual([
      "iac-runner: iac.config.yaml:8:13: services.redis.vault[0]: expected a non-empty string, received 3",
      'iac-runner: iac.config.yaml:9:5: services.redis.compse: unknown key "compse", expected one of compose, files, dokploy, vault, env, probe',
      "iac-runner: iac.config.yaml:10:12: services.redis.env.PORT: expected a string, received 6379",
      `iac-runner: 3 problems at ${broken.slice(0, 12)} (${broken})`,
    ]);
  });

  it("reports problems of the tree by folder or file: a duplicate, a local build, binary mounts, Vault paths", async () => {
    const withVault = repo.commit(
      {
        "iac.config.yaml":
          'services:\n  redis:\n    vault: ["secret"]\n  "my.app":\n    vault: ["secret/{env}/../x"]\n',
        "platform/07.my.app/compose.yaml": "services: {}\n",
      },
      "bad vault paths",
    );
    const { code, stdout, stderr } = await validate("--ref", withVault, "--json");
    expect(code).toBe(1);
    const document = JSON.parse(stdout) as Documented;
    expect(document.valid).toBe(false);
    expect(document.problems).toEqual([
      {
        file: "platform/04.redis",
        keyPath: null,
        line: null,
        column: null,
        code: "duplicate_service",
        message:
          'duplicate service "redis": expected one folder per service name, received platform/02.redis and platform/04.redis',
      },
    ]);
    expect(linesOf(stderr)[0]).toBe(
      'iac-runner: platform/04.redis: duplicate service "redis": expected one folder per service name, received platform/02.redis and platform/04.redis',
    );

    const fixed = repo.commit({ "platform/04.redis/compose.yaml": null }, "one redis");
    const second = await validate("--ref", fixed);
    expect(second.code).toBe(1);
    expect(linesOf(second.stderr).filter((line) => !line.includes("warning:"))).toEqual([
      expect.stringMatching(
        /^iac-runner: platform\/05\.app\/compose\.yaml: invalid compose file platform\/05\.app\/compose\.yaml: services\.app\.build uses the local context "\."/,
      ),
      "iac-runner: platform/06.logo/logo.png: cannot mount platform/06.logo/logo.png: expected UTF-8 text (Dokploy file mounts hold text), received binary content",
      expect.stringMatching(
        /^iac-runner: iac\.config\.yaml: services\["my\.app"\]\.vault\[0\]: in environment staging: invalid Vault path "secret\/\{env\}\/\.\.\/x"/,
      ),
      expect.stringMatching(
        /^iac-runner: iac\.config\.yaml: services\.redis\.vault\[0\]: in environment staging: invalid Vault path "secret"/,
      ),
      `iac-runner: 4 problems at ${fixed.slice(0, 12)} (${fixed})`,
    ]);
  });

  it("reads the commit, never the working tree, and HEAD by default", async () => {
    writeFileSync(join(repo.dir, "iac.config.yaml"), "layers: [\n");
    onTestFinished(() => {
      repo.git("checkout", "--", "iac.config.yaml");
    });
    const head = await validate();
    expect(head.code).toBe(1);
    expect(head.stderr).toContain(`at ${repo.head().slice(0, 12)} (HEAD)`);
    expect(head.stderr).not.toContain("expected valid YAML");
    expect((await validate("--ref", `${broken}~1`)).code).toBe(0);
  });

  it("validates the defaults of a repository without iac.config.yaml", async () => {
    const bare = createTestRepo();
    temps.push(bare.dir);
    const commit = bare.commit({ "platform/01.redis/compose.yaml": "services: {}\n", "libs/x.py": "" });
    const { code, stdout } = await runBuiltCli(["validate", "--repo", bare.dir]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      `no iac.config.yaml (the defaults apply) at ${commit.slice(0, 12)} (HEAD): valid, 1 service (1 synced on push)`,
    );
  });

  it("reads the repository in the current directory without --repo", async () => {
    const { PATH: pathVariable = "" } = process.env;
    const child = spawn(process.execPath, [BUILT_CLI, "validate", "--ref", valid, "--json"], {
      cwd: repo.dir,
      env: { PATH: pathVariable },
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ valid: true, commit: valid });
  });

  it.each([
    ["an unknown --ref", ["--ref", "no-such-branch"], /^iac-runner: --ref "no-such-branch" names no commit in \//],
    ["an option-like --ref", ["--ref=-x"], /^iac-runner: --ref "-x" names no commit in \//],
  ])("fails with exit 1 and one line for %s", async (_name, args, line) => {
    const { code, stdout, stderr } = await validate(...args);
    expect({ code, stdout }).toEqual({ code: 1, stdout: "" });
    expect(linesOf(stderr)).toEqual([expect.stringMatching(line)]);
  });

  it("fails with exit 1 and one line outside a git repository; --verbose adds git's words", async () => {
    const dir = makeTemp();
    temps.push(dir);
    const plain = await runBuiltCli(["validate", "--repo", dir]);
    expect(plain.code).toBe(1);
    expect(linesOf(plain.stderr)).toEqual([`iac-runner: ${dir} is not a git repository`]);
    const verbose = await runBuiltCli(["validate", "--repo", dir, "--verbose"]);
    expect(linesOf(verbose.stderr)[0]).toBe(`iac-runner: ${dir} is not a git repository`);
    expect(linesOf(verbose.stderr)[1]).toMatch(/^ {2}git rev-parse failed: exit 128: fatal: not a git repository/);
    const json = await runBuiltCli(["validate", "--repo", dir, "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ error: `${dir} is not a git repository` });
  });

  it("fails with exit 1 when --repo is not a directory", async () => {
    const missing = join(makeTemp(), "missing");
    temps.push(join(missing, ".."));
    const { code, stderr } = await runBuiltCli(["validate", "--repo", missing]);
    expect(code).toBe(1);
    expect(stderr).toBe(`iac-runner: expected --repo to be a directory, received ${JSON.stringify(missing)}\n`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["validate", "extra"], /^iac-runner: Unexpected argument 'extra'/],
    [["validate", "--bogus"], /^iac-runner: Unknown option '--bogus'/],
    [["validate", "--ref"], /^iac-runner: Option '--ref <value>' argument missing/],
  ])("exits 2 with the usage for %j", async (args, line) => {
    const { code, stdout, stderr } = await runBuiltCli(args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: "" });
    expect(stderr).toMatch(line);
    expect(stderr).toContain("Usage: iac-runner validate [--repo <path>] [--ref <rev>] [--json] [--verbose]");
  });

  it("prints its help with the exit codes, and is listed in the main help", async () => {
    const help = await runBuiltCli(["validate", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: iac-runner validate/);
    expect(help.stdout).toContain("Exit codes:\n  0  valid\n  1  a problem was found");
    const main = await runBuiltCli(["--help"]);
    expect(main.stdout).toMatch(/\n {2}validate {7}Check iac\.config\.yaml/);
  });
});
