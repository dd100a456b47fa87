import { type ChildProcess, spawn } from "node:child_process";
import { utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sign } from "@iac/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanupTemp, makeTemp } from "../helpers/git-repo.js";
import {
  createInfraFixture,
  examplePayload,
  type InfraFixture,
  pushPayload,
  SECRET,
  webhookRequest,
} from "../helpers/runner-fixture.js";
import { type ServedFake, serveFakeDokploy } from "../helpers/serve-fake.js";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const CLI = join(ROOT, "packages/server/src/cli.ts");

/** Starts `iac-runner serve` from its TypeScript entry and resolves with its URL from the "listening" log line. */
function startCli(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; lines: string[] }> {
  const { PATH = "", HOME = "" } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", CLI, "serve"], {
    cwd: ROOT,
    env: { PATH, HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === "listening" && entry.url !== undefined) {
        resolve({ child, url: entry.url, lines });
      }
    });
    child.once("exit", (code) => reject(new Error(`iac-runner exited with ${code} before listening: ${stderr}`)));
  });
}

describe("iac-runner serve (child process, real HTTP)", () => {
  let fixture: InfraFixture;
  let fake: ServedFake;
  let tsconfigDir: string;
  let secretsFile: string;
  let cli: { child: ChildProcess; url: string; lines: string[] };

  beforeAll(async () => {
    fixture = createInfraFixture();
    fake = await serveFakeDokploy({ deploy: { mode: "auto" } });
    // Resolve the workspace packages to their sources, as the vitest aliases do, so no build is needed.
    tsconfigDir = makeTemp();
    const tsconfig = join(tsconfigDir, "tsconfig.json");
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(ROOT, "packages/server/tsconfig.json"),
        compilerOptions: {
          paths: {
            "@iac/sync": [join(ROOT, "packages/sync/src/index.ts")],
            "@iac/sdk": [join(ROOT, "packages/sdk/src/index.ts")],
          },
        },
      }),
    );
    secretsFile = join(tsconfigDir, "secrets.env");
    writeFileSync(secretsFile, `WEBHOOK_SECRET="${SECRET}"\n`);
    cli = await startCli({
      TSX_TSCONFIG_PATH: tsconfig,
      IAC_SECRETS_FILE: secretsFile,
      GIT_REPO_URL: fixture.repo.url,
      DOKPLOY_URL: fake.dokploy.baseUrl,
      DOKPLOY_API_KEY: fake.dokploy.apiKey,
      IAC_DATA_DIR: fixture.dataDir,
      HOST: "127.0.0.1",
      PORT: "0",
    });
  }, 60_000);

  afterAll(async () => {
    if (cli?.child.exitCode === null) {
      const exited = new Promise<number | null>((resolve) => cli.child.once("exit", resolve));
      cli.child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
    await fake?.close();
    fixture?.cleanup();
    cleanupTemp(tsconfigDir);
  }, 30_000);

  const send = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const body = request.method === "GET" ? null : await request.text();
    return fetch(`${cli.url}${url.pathname}`, { method: request.method, headers: request.headers, body });
  };

  it("warns at start that rotating WEBHOOK_SECRET redeploys every service with Vault secrets without IAC_HASH_KEY", () => {
    const lines = cli.lines.map((line) => JSON.parse(line) as { msg?: string; level?: string });
    const warning = lines.filter((line) => String(line.msg).includes("IAC_HASH_KEY"));
    expect(warning).toEqual([
      expect.objectContaining({
        level: "warn",
        msg: "IAC_HASH_KEY is not set (or equals WEBHOOK_SECRET): rotating WEBHOOK_SECRET changes the config hash of every service with Vault secrets, so each redeploys once",
        hint: expect.stringContaining("set IAC_HASH_KEY to its own random value"),
      }),
    ]);
  });

  it("does not warn when IAC_HASH_KEY has a value of its own", async () => {
    const ownKeyDir = makeTemp();
    const ownSecrets = join(ownKeyDir, "secrets.env");
    writeFileSync(ownSecrets, `WEBHOOK_SECRET="${SECRET}"\nIAC_HASH_KEY=another-random-key\n`);
    const other = await startCli({
      TSX_TSCONFIG_PATH: join(tsconfigDir, "tsconfig.json"),
      IAC_SECRETS_FILE: ownSecrets,
      GIT_REPO_URL: fixture.repo.url,
      DOKPLOY_URL: fake.dokploy.baseUrl,
      DOKPLOY_API_KEY: fake.dokploy.apiKey,
      IAC_DATA_DIR: join(ownKeyDir, "data"),
      HOST: "127.0.0.1",
      PORT: "0",
    });
    try {
      const messages = other.lines.map((line) => JSON.parse(line) as { msg?: string; level?: string });
      expect(messages.map((line) => line.msg)).toContain("listening");
      expect(messages.filter((line) => String(line.msg).includes("IAC_HASH_KEY"))).toEqual([]);
    } finally {
      const exited = new Promise<number | null>((resolve) => other.child.once("exit", resolve));
      other.child.kill("SIGTERM");
      expect(await exited).toBe(0);
      cleanupTemp(ownKeyDir);
    }
  }, 60_000);

  it("prints the bound loopback address and answers /health", async () => {
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${cli.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "healthy" });
  });

  it("answers a signed ping with pong and a wrong signature with 401", async () => {
    const ping = await send(await webhookRequest(examplePayload("ping"), { event: "ping" }));
    expect(ping.status).toBe(200);
    expect(await ping.json()).toMatchObject({ status: "pong" });
    const bad = await send(
      await webhookRequest(examplePayload("ping"), { event: "ping", signature: await sign("wrong", "x") }),
    );
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: "signature does not match", code: "invalid_signature" });
  });

  it("applies a secret rotated in the secrets file without a restart", async () => {
    writeFileSync(secretsFile, `WEBHOOK_SECRET=rotated-secret\nWEBHOOK_SECRET_PREVIOUS="${SECRET}"\n`);
    const later = Date.now() / 1000 + 60;
    utimesSync(secretsFile, later, later);
    // The runner looks at the file at most once a second: the rotation applies within that time.
    await expect
      .poll(
        async () =>
          (await send(await webhookRequest(examplePayload("ping"), { event: "ping", secret: "rotated-secret" })))
            .status,
      )
      .toBe(200);
    const previous = await send(await webhookRequest(examplePayload("ping"), { event: "ping", secret: SECRET }));
    expect(previous.status).toBe(200);
  });

  it("logs an invalid rewrite of the secrets file and keeps the last valid secrets", async () => {
    writeFileSync(secretsFile, "WEBHOOK_SECRET=\n");
    const later = Date.now() / 1000 + 120;
    utimesSync(secretsFile, later, later);
    const ping = async () =>
      send(await webhookRequest(examplePayload("ping"), { event: "ping", secret: "rotated-secret" }));
    // The file is looked at once a second, when a request asks for the secrets: keep asking until it was.
    await expect
      .poll(
        async () => {
          expect((await ping()).status).toBe(200);
          return cli.lines.map((line) => JSON.parse(line) as { level?: string; msg?: string });
        },
        { timeout: 5_000, interval: 200 },
      )
      .toContainEqual(
        expect.objectContaining({ level: "warn", msg: "secrets file invalid; keeping the previous settings" }),
      );
  });

  it("accepts a push, deploys the changed service to Dokploy and reports the job", async () => {
    const after = fixture.repo.commit({
      "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7\n",
    });
    const payload = pushPayload({
      before: fixture.initial,
      after,
      files: { modified: ["platform/02.redis/compose.yaml"] },
    });
    const response = await send(await webhookRequest(payload, { delivery: "e2e-push" }));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { services: string[]; deployments: string[] };
    expect(body.services).toEqual(["redis"]);
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${cli.url}/deployments/${body.deployments[0]}`)).json()) as { state: string }).state,
        { timeout: 15_000, interval: 250 },
      )
      .toBe("succeeded");
    expect([...fake.dokploy.state.composes.values()].map((compose) => compose.name)).toEqual(["redis"]);
    expect(cli.lines.join("\n")).not.toContain(SECRET);
  }, 30_000);
});
