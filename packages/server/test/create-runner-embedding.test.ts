import { spawn } from "node:child_process";
import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { createRunner } from "../src/create-runner.js";
import { SettingsError } from "../src/settings-error.js";
import type { Runner, RunnerOptions } from "../src/types.js";
import { cleanupTemp, makeTemp } from "./helpers/git-repo.js";
import {
  ciRequest,
  createInfraFixture,
  createStubEngine,
  examplePayload,
  type InfraFixture,
  json,
  memoryStore,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
  webhookRequest,
} from "./helpers/runner-fixture.js";
import { BUILT_CLI } from "./helpers/runner-process.js";

const TOKEN = "an-api-token-of-sixteen";

let fixture: InfraFixture;
let engine: StubEngine;

beforeAll(() => {
  fixture = createInfraFixture();
});
afterAll(() => fixture.cleanup());
beforeEach(async () => {
  engine = createStubEngine(await memoryStore());
});

/** A runner over the stub engine, closed when the test ends. */
async function embedded(overrides: Partial<RunnerOptions>): Promise<Runner> {
  const runner = await createRunner(stubRunnerOptions(fixture, engine, overrides));
  onTestFinished(() => runner.close());
  return runner;
}

describe("createRunner with a basePath", () => {
  it.each([
    ["/iac/health", "GET", 200, undefined],
    ["/iac/deployments", "GET", 401, undefined],
    ["/health", "GET", 404, "no endpoint at /health"],
    ["/iacx/health", "GET", 404, "no endpoint at /iacx/health"],
    ["/iac", "GET", 404, "no endpoint at /iac"],
    ["/iac/", "GET", 404, "no endpoint at /iac/"],
    ["/iac/iac/health", "GET", 404, "no endpoint at /iac/iac/health"],
    ["/x/iac/health", "GET", 404, "no endpoint at /x/iac/health"],
    ["/iac/health", "POST", 405, undefined],
  ])("answers %s %s with %i", async (path, method, status, error) => {
    const runner = await embedded({
      basePath: "/iac",
      settings: testSettings(fixture.repo.url, fixture.dataDir, { apiToken: TOKEN }),
    });
    const response = await runner.fetch(new Request(`http://runner.test${path}`, { method }));
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    if (error !== undefined) {
      expect(await json(response)).toEqual({ error, code: "not_found" });
    }
  });

  it("serves signed requests and the job endpoints below it", async () => {
    const runner = await embedded({
      basePath: "/ops/iac",
      settings: testSettings(fixture.repo.url, fixture.dataDir, { apiToken: TOKEN }),
    });
    const submitted = await runner.fetch(await ciRequest("/ops/iac/sync", { services: ["postgres"] }));
    expect(submitted.status).toBe(202);
    const [id] = (await json(submitted)).deployments as string[];
    const found = await runner.fetch(new Request(`http://runner.test/ops/iac/deployments/${id}`));
    expect(await json(found)).toMatchObject({ id, state: "queued" });
    const cancelled = await runner.fetch(
      new Request(`http://runner.test/ops/iac/deployments/${id}/cancel`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(await json(cancelled)).toMatchObject({ status: "cancelling", dequeued: ["postgres"] });
    const ping = await runner.fetch(
      new Request(
        "http://runner.test/ops/iac/webhook",
        await webhookRequest(examplePayload("ping"), { event: "ping" }),
      ),
    );
    expect(await json(ping)).toMatchObject({ status: "pong" });
  });

  it.each(["iac", "/iac/", "/", "/a//b", "/a b", "/a?b", "/a#b"])("refuses the basePath %j", async (basePath) => {
    const attempt = createRunner(stubRunnerOptions(fixture, engine, { basePath }));
    await expect(attempt).rejects.toThrow(SettingsError);
    await expect(attempt).rejects.toThrow(
      `[@iac/server] invalid configuration: basePath must be a path like "/iac" (a leading /, no trailing /), received ${JSON.stringify(basePath)}`,
    );
  });

  it("serves the root when the basePath is empty", async () => {
    const runner = await embedded({ basePath: "" });
    expect((await runner.fetch(new Request("http://runner.test/health"))).status).toBe(200);
  });
});

describe("createRunner following the secrets file of its settings", () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = makeTemp();
    file = join(dir, "secrets.env");
    return () => cleanupTemp(dir);
  });

  const rewrite = (text: string, mtimeSeconds: number): void => {
    writeFileSync(file, text);
    utimesSync(file, mtimeSeconds, mtimeSeconds);
  };

  const ping = async (runner: Runner, secret: string): Promise<number> =>
    (await runner.fetch(await webhookRequest(examplePayload("ping"), { event: "ping", secret }))).status;

  it("applies a rotated WEBHOOK_SECRET without a restart and keeps WEBHOOK_SECRET_PREVIOUS", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const runner = await embedded({
      settings: testSettings(fixture.repo.url, fixture.dataDir, {
        webhookSecret: "from-code",
        webhookSecretPrevious: undefined,
        secretsFile: file,
      }),
    });
    // The file's values take precedence, as they do over the environment.
    expect([await ping(runner, "first"), await ping(runner, "from-code")]).toEqual([200, 401]);

    rewrite("WEBHOOK_SECRET=second\nWEBHOOK_SECRET_PREVIOUS=first\n", 2_000);
    await expect.poll(() => ping(runner, "second"), { timeout: 10_000 }).toBe(200);
    expect(await ping(runner, "first")).toBe(200);

    rewrite("WEBHOOK_SECRET=third\n", 3_000);
    await expect.poll(() => ping(runner, "third"), { timeout: 10_000 }).toBe(200);
    expect([await ping(runner, "second"), await ping(runner, "first")]).toEqual([401, 401]);
  });

  it("starts with a file that holds the Vault login of the Vault address in the settings", async () => {
    rewrite("WEBHOOK_SECRET=first\nVAULT_ROLE_ID=role\nVAULT_SECRET_ID=secret-id\n", 1_000);
    const vault = { address: "https://vault.example.com", token: "t" };
    const runner = await embedded({
      settings: testSettings(fixture.repo.url, fixture.dataDir, { vault, secretsFile: file }),
    });
    expect(await ping(runner, "first")).toBe(200);
  });

  it("keeps the last valid secrets when the file is rewritten with an invalid content", async () => {
    rewrite("WEBHOOK_SECRET=first\n", 1_000);
    const runner = await embedded({ settings: testSettings(fixture.repo.url, fixture.dataDir, { secretsFile: file }) });
    rewrite("WEBHOOK_SECRET=\n", 2_000);
    expect(await ping(runner, "first")).toBe(200);
  });

  it("refuses to start when the named file cannot be read, before opening anything", async () => {
    const attempt = createRunner({
      settings: testSettings(fixture.repo.url, join(dir, "data"), { secretsFile: join(dir, "missing.env") }),
      healthChecks: {},
      catchUp: false,
    });
    await expect(attempt).rejects.toThrow(SettingsError);
    await expect(attempt).rejects.toThrow(/IAC_SECRETS_FILE names a file that cannot be read \(ENOENT\)/);
  });
});

/** Runs the built package in a child process: creates a runner with `options` (JSON), answers one request, closes. */
function runEmbedded(options: string, dataDir: string): Promise<{ stdout: string; stderr: string }> {
  const index = pathToFileURL(join(BUILT_CLI, "..", "index.js")).href;
  const script = `
    import { createRunner, defineSettings } from ${JSON.stringify(index)};
    const options = ${options};
    const settings = defineSettings({
      webhookSecret: "s3cret",
      git: { url: "file:///nowhere/infra.git" },
      dokploy: { url: "http://127.0.0.1:9", apiKey: "key" },
      dataDir: ${JSON.stringify(dataDir)},
      ...options.settings,
    });
    const runner = await createRunner({ ...options, settings, catchUp: false, healthChecks: {} });
    await runner.fetch(new Request("http://runner.test/nowhere"));
    await runner.close();
  `;
  const { PATH = "", HOME = "" } = process.env;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
    env: { PATH, HOME },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", () => resolve({ stdout, stderr }));
  });
}

describe("createRunner's default logger (built package)", () => {
  let dir: string;
  beforeEach(() => {
    dir = makeTemp();
    return () => cleanupTemp(dir);
  });

  it("writes JSON lines to stdout at settings.logLevel when no logger is given", async () => {
    const { stdout, stderr } = await runEmbedded("{}", dir);
    expect(stderr).toBe("");
    const lines = stdout
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // Requests are summarised, not logged one by one: the summary is written when the runner closes.
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "info", msg: "requests", answered: { "404 not_found": 1 }, name: "iac-runner" }),
    );
  });

  it.each([
    ["a level above info", '{ settings: { logLevel: "warn" } }'],
    ["logger: false", "{ logger: false }"],
  ])("writes nothing with %s", async (_name, options) => {
    expect(await runEmbedded(options, dir)).toEqual({ stdout: "", stderr: "" });
  });
});
