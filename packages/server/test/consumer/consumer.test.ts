import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sign } from "@iac/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { cleanupTemp, createTestRepo, type TestRepo } from "../helpers/git-repo.js";
import { createTestDatabase, type TestDatabase } from "../store/postgres-test-database.js";
import {
  type CommandResult,
  type ConsumerProject,
  createConsumerProject,
  ROOT,
  type StartedProcess,
} from "./consumer-project.js";
import { PRODUCTION_INSTALL_BUDGET, TARBALL_BUDGET, TEST_ONLY_PACKAGES } from "./install-budget.js";

// The packages as users get them: packed with npm, installed from the tarballs into a fresh project outside the
// repository, then imported, required, type-checked, run and embedded there. Needs the built dist (npm test builds).
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const VITEST = join(ROOT, "node_modules/vitest/vitest.mjs");
const ESBUILD = join(ROOT, "node_modules/.bin/esbuild");
const ENTRY_POINTS = ["@iac/sync", "@iac/sdk", "@iac/sdk/testing", "@iac/server"];
// A CommonJS test runner (Jest without ESM mode) cannot load ES modules through require().
const REFUSE_REQUIRE_ESM = "--no-experimental-require-module";

// tsc, vitest and npm run as child processes, on cores the rest of the suite is using too.
vi.setConfig({ testTimeout: 60_000 });

let project: ConsumerProject;

beforeAll(async () => {
  project = await createConsumerProject();
}, 240_000);

afterAll(() => project?.remove());

describe("tarballs", () => {
  it("each carries the root LICENSE, its metadata, and neither source maps nor sources", () => {
    const license = readFileSync(join(ROOT, "LICENSE"), "utf8");
    for (const packed of project.packed) {
      const installed = join(project.dir, "node_modules", packed.name);
      expect(readFileSync(join(installed, "LICENSE"), "utf8"), packed.name).toBe(license);
      expect(
        packed.files.filter((file) => file.endsWith(".map") || file.startsWith("src/")),
        packed.name,
      ).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8"));
      expect(Object.keys(manifest), packed.name).toEqual(
        expect.arrayContaining(["license", "repository", "homepage", "bugs", "keywords", "engines"]),
      );
    }
  });

  it("stay within their size budget", () => {
    const sizes = Object.fromEntries(project.packed.map((packed) => [packed.name, packed.size]));
    for (const [name, budget] of Object.entries(TARBALL_BUDGET)) {
      expect(sizes[name], name).toBeLessThanOrEqual(budget);
    }
  });

  it("ship the CLI as an entry of the server's ESM build, importing the chunks the library is made of", () => {
    const dist = join(project.dir, "node_modules/@iac/server/dist");
    const chunksOf = (file: string): string[] =>
      [...readFileSync(join(dist, file), "utf8").matchAll(/from "\.\/(chunk-[\w-]+\.js)"/g)].map(
        (match) => match[1] ?? "",
      );
    expect(readFileSync(join(dist, "cli.js"), "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(chunksOf("index.js")).not.toEqual([]);
    expect(chunksOf("cli.js")).toEqual(expect.arrayContaining(chunksOf("index.js")));
  });
});

describe("production install of @iac/server", () => {
  it("stays within its budget", () => {
    expect(project.production.bytes).toBeLessThanOrEqual(PRODUCTION_INSTALL_BUDGET.bytes);
    expect(project.production.packages.length).toBeLessThanOrEqual(PRODUCTION_INSTALL_BUDGET.packages);
  });

  it("brings none of the test kit's dependencies", () => {
    expect(project.production.packages.filter((name) => TEST_ONLY_PACKAGES.includes(name))).toEqual([]);
  });
});

describe("loading", () => {
  // Loads `names` with load.mjs or load.cjs and returns, per module, the type of each export.
  const load = async (script: string, names: string[], nodeOptions: string[] = []): Promise<unknown> => {
    const result = await project.node([...nodeOptions, script, ...names]);
    expect(result.stderr).toBe("");
    return JSON.parse(result.stdout);
  };
  // Without @iac/sdk/testing: msw itself requires ES modules from its CommonJS build.
  const WITHOUT_TEST_KIT = ENTRY_POINTS.filter((name) => name !== "@iac/sdk/testing");

  it("imports every entry point from ESM", async () => {
    expect(await load("load.mjs", ENTRY_POINTS)).toMatchObject({
      "@iac/sync": { sign: "function", configHash: "function" },
      "@iac/sdk": { createDokployClient: "function" },
      "@iac/sdk/testing": { createFakeDokploy: "function" },
      "@iac/server": { createRunner: "function", createNodeServer: "function" },
    });
  });

  it("requires every entry point from CommonJS, with the exports of the ESM build", async () => {
    expect(await load("load.cjs", ENTRY_POINTS)).toEqual(await load("load.mjs", ENTRY_POINTS));
  });

  it("requires the packages where require() of ES modules is refused, as in a CommonJS test runner", async () => {
    // The control: this Node.js really refuses it (the ESM-only dependency the CommonJS build must not require).
    const refused = await project.node([REFUSE_REQUIRE_ESM, "load.cjs", "@noble/hashes/hmac.js"]);
    expect(refused.stderr).toContain("ERR_REQUIRE_ESM");

    const required = await load("load.cjs", WITHOUT_TEST_KIT, [REFUSE_REQUIRE_ESM]);
    expect(required).toEqual(await load("load.mjs", WITHOUT_TEST_KIT));
  });
});

describe("bundling @iac/sync and @iac/sdk with esbuild", () => {
  // GitHub's own example of a webhook signature.
  const SIGNED = {
    signature: "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    client: "function",
  };

  // yaml's Node.js build is CommonJS and requires built-ins: an ESM bundle for Node.js needs the usual require().
  const ESM_REQUIRE =
    "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

  it.each([
    ["cjs", "bundle.cjs", []],
    ["esm", "bundle.mjs", [ESM_REQUIRE]],
  ])("into one %s file for Node.js that runs", async (format, outfile, options) => {
    const bundled = await project.run(ESBUILD, [
      "bundle-entry.mjs",
      "--bundle",
      "--platform=node",
      `--format=${format}`,
      `--outfile=${outfile}`,
      "--log-level=error",
      ...options,
    ]);
    expect(bundled.stderr).toBe("");
    const result = await project.node([outfile]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual(SIGNED);
  });

  it("for the browser, without Node.js built-ins", async () => {
    const bundled = await project.run(ESBUILD, [
      "bundle-entry.mjs",
      "--bundle",
      "--platform=browser",
      "--format=esm",
      "--outfile=browser.js",
      "--log-level=error",
    ]);
    expect(bundled.stderr).toBe("");
    expect(bundled.code).toBe(0);
  });
});

describe("type-checking a consumer", () => {
  const typecheck = (moduleResolution: string, module: string, files: string[]): Promise<CommandResult> => {
    const config = `tsconfig.${moduleResolution}.json`;
    // As a consumer's project has it: third-party declarations (msw's among them) are not ours to check.
    const compilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: "es2022",
      module,
      moduleResolution,
    };
    writeFileSync(join(project.dir, config), JSON.stringify({ compilerOptions, files }));
    return project.node([TSC, "-p", config]);
  };

  it.each([
    ["node16", "node16", ["consumer.ts", "consumer.cts"]],
    ["nodenext", "nodenext", ["consumer.ts", "consumer.cts"]],
    ["bundler", "esnext", ["consumer.ts"]],
    ["node10", "commonjs", ["testing-node10.ts"]],
  ])("passes under moduleResolution %s", async (moduleResolution, module, files) => {
    const result = await typecheck(moduleResolution, module, files);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});

describe("tools", () => {
  it("runs npx iac-runner --help", async () => {
    const result = await project.run("npx", ["--no-install", "iac-runner", "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("iac-runner");
    expect(result.stdout).toContain("serve");
  });

  it("runs a tester's vitest test against the test kit's fake Dokploy", async () => {
    const result = await project.node([VITEST, "run", "--root", ".", "--globals", "fake-dokploy.spec.mjs"]);
    expect(result.stdout).toContain("1 passed");
    expect(result.code).toBe(0);
  });
});

describe("migrating from the original runner", () => {
  it("gives a service the original's environment values when the repository has no iac.config.yaml", async () => {
    const result = await project.node(["migrate.mjs"]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout).environments).toEqual({
      production: { ENV: "production", ENV_SUFFIX: "", ENV_DOMAIN_SUFFIX: "", DATA_PATH: "/data/platform/postgres" },
      staging: {
        ENV: "staging",
        ENV_SUFFIX: "-staging",
        ENV_DOMAIN_SUFFIX: "-staging",
        DATA_PATH: "/data/platform/postgres-staging",
      },
    });
  });
});

describe("configuration that cannot be silently wrong", () => {
  // Settings of a runner whose store cannot be reached: serve reads and checks them all, then fails to start.
  const UNREACHABLE_STORE = {
    WEBHOOK_SECRET: "consumer-webhook-secret",
    GIT_REPO_URL: "file:///nonexistent/infra.git",
    DOKPLOY_URL: "http://127.0.0.1:9",
    DOKPLOY_API_KEY: "consumer-key",
    IAC_DATABASE_URL: "postgres://postgres@127.0.0.1:1/iac",
  };
  const hashKeyWarnings = (stdout: string): unknown[] =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { msg?: string })
      .filter((line) => line.msg?.startsWith("IAC_HASH_KEY is not set") === true);

  it("refuses globs of other dialects, naming each pattern", async () => {
    const result = await project.node(["migrate.mjs"]);
    const problems = JSON.parse(result.stdout).problems as string[][];
    expect(problems.map((list) => list.length)).toEqual([1, 1, 1]);
    for (const [index, glob] of ["platform/[ab]*/compose.yaml", "libs/@(a|b)/**", "!libs/tmp/**"].entries()) {
      expect(problems[index]?.[0]).toMatch(/^shared\[0\]\.paths\[0\]: /);
      expect(problems[index]?.[0]).toContain(JSON.stringify(glob));
    }
  });

  it("lists every missing variable at the first start of serve, without a stack trace", async () => {
    const result = await project.cli(["serve"]);
    expect(result.code).toBe(1);
    for (const name of ["WEBHOOK_SECRET", "GIT_REPO_URL", "DOKPLOY_URL", "DOKPLOY_API_KEY"]) {
      expect(result.stderr).toMatch(new RegExp(`^\\s*${name} is required`, "m"));
    }
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("warns at start that without IAC_HASH_KEY a rotated WEBHOOK_SECRET redeploys, and not with one", async () => {
    const without = await project.cli(["serve"], UNREACHABLE_STORE);
    expect(without.code).toBe(1);
    expect(hashKeyWarnings(without.stdout)).toEqual([
      expect.objectContaining({ level: "warn", msg: expect.stringContaining("each redeploys once") }),
    ]);
    const withKey = await project.cli(["serve"], { ...UNREACHABLE_STORE, IAC_HASH_KEY: "consumer-hash-key" });
    expect(withKey.code).toBe(1);
    expect(withKey.stdout).toContain("could not start");
    expect(hashKeyWarnings(withKey.stdout)).toEqual([]);
  });
});

// One application per way of embedding, each serving the runner under PREFIX: every one must pass the same checks.
describe.each(["embed-server.mjs", "embed-listener.mjs"])(
  "embedding the runner under a sub-path of a node:http server (%s)",
  (script) => {
    const SECRET = "consumer-webhook-secret";
    const ROTATED = "consumer-webhook-secret-2";
    let database: TestDatabase;
    let origin: TestRepo;
    let secretsFile: string;
    let url: string;
    let started: StartedProcess;

    beforeAll(async () => {
      database = await createTestDatabase();
      origin = createTestRepo();
      origin.commit({ "platform/01.postgres/compose.yaml": "services:\n  postgres:\n    image: postgres:16\n" });
      origin.tag("v1.0.0", { annotated: true });
      secretsFile = join(project.dir, `${script}.secrets.env`);
      writeFileSync(secretsFile, `WEBHOOK_SECRET=${SECRET}\n`);
      started = await project.start([script], {
        PREFIX: "/iac",
        WEBHOOK_SECRET: SECRET,
        GIT_REPO_URL: origin.url,
        DOKPLOY_URL: "http://127.0.0.1:9",
        DOKPLOY_API_KEY: "consumer-key",
        IAC_DATA_DIR: join(project.dir, `${script}.data`),
        IAC_DATABASE_URL: database.connectionString,
        IAC_SECRETS_FILE: secretsFile,
      });
      ({ url } = started.ready as { url: string });
    }, 60_000);

    afterAll(async () => {
      await started?.stop();
      await database?.drop();
      if (origin !== undefined) {
        cleanupTemp(origin.dir);
      }
    });

    const ping = (secret: string): Promise<Response> => {
      const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
      return sign(secret, body).then((signature) =>
        fetch(`${url}/iac/webhook`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": "ping",
            "x-github-delivery": `consumer-ping-${signature.slice(7, 19)}`,
            "x-hub-signature-256": signature,
          },
          body,
        }),
      );
    };
    // The original runner's release workflows sign the body with a plain HMAC, as `openssl dgst -hmac` computes it.
    const deploy = async (body: string): Promise<Response> =>
      fetch(`${url}/iac/deploy`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": await sign(SECRET, body) },
        body,
      });

    it("answers /health under the prefix", async () => {
      const response = await fetch(`${url}/iac/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "healthy" });
    });

    it("verifies a signed webhook under the prefix", async () => {
      const response = await ping(SECRET);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: "pong" });
    });

    it("leaves paths outside the prefix to the application", async () => {
      const response = await fetch(`${url}/health`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe("the application's own 404");
    });

    it("accepts the original staging workflow's /deploy body, a missing env meaning staging", async () => {
      const commit = origin.head();
      const response = await deploy(`{\n  "tag": "v1.0.0",\n  "commit": "${commit}",\n  "triggered_by": "octocat"\n}`);
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ status: "accepted", env: "staging", tag: "v1.0.0", commit });
    });

    it("still refuses a /deploy field it does not know", async () => {
      const response = await deploy(JSON.stringify({ env: "staging", tag: "v1.0.0", colour: "blue" }));
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: expect.stringContaining("colour") });
    });

    it("follows its secrets file: a rotated WEBHOOK_SECRET applies without a restart", async () => {
      writeFileSync(secretsFile, `WEBHOOK_SECRET=${ROTATED}\nWEBHOOK_SECRET_PREVIOUS=${SECRET}\n`);
      await vi.waitFor(async () => expect((await ping(ROTATED)).status).toBe(200), { timeout: 10_000, interval: 200 });
      expect((await ping(SECRET)).status).toBe(200);
      writeFileSync(secretsFile, `WEBHOOK_SECRET=${ROTATED}\n`);
      await vi.waitFor(async () => expect((await ping(SECRET)).status).toBe(401), { timeout: 10_000, interval: 200 });
    });

    // Last: it stops the application.
    it("logs JSON lines by default: a summary of the answers when it closes", async () => {
      await started.stop();
      const logs = started
        .lines()
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(logs).toContainEqual(
        expect.objectContaining({ level: "info", msg: "requests", answered: expect.objectContaining({ "202": 1 }) }),
      );
    });
  },
);
