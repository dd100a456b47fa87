import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStack, closedUrl, startCliStack } from "../helpers/cli-stack.js";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";
import { BUILT_CLI } from "../helpers/runner-process.js";

interface JobJson {
  id: string;
  state: string;
  services: Array<{
    service: string;
    state: string;
    result: { status: string; error?: { code: string; message: string } } | null;
  }>;
}

describe("iac-runner deploy (built CLI against a running runner)", () => {
  let stack: CliStack;

  beforeAll(async () => {
    stack = await startCliStack();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  const deploy = (args: string[], env: Record<string, string> = stack.cliEnv) =>
    runBuiltCli(["deploy", "--url", stack.runner.url, "--env", "staging", ...args], env);

  it("--wait follows the deployment, prints each service's progress and exits 0 when it succeeded", async () => {
    const run = await deploy(["--tag", "v1.0.0", "--triggered-by", "cli-test", "--wait"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const lines = linesOf(run.stdout);
    const [header, services] = lines;
    expect(header).toMatch(/^deployment \S+ accepted: staging, tag v1\.0\.0, commit [0-9a-f]{12}$/);
    expect(services).toBe("services: postgres, redis");
    const id = header?.split(" ")[1];
    for (const service of ["postgres", "redis"]) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^  ${service}: +succeeded \\(created, hash v2:[0-9a-f]{12}, [\\d.]+ s\\)$`)),
      );
    }
    // Progress lines come only when something changed, so no line repeats the one before it for a service.
    const progress = lines.filter((line) => line.startsWith("  "));
    expect(new Set(progress).size).toBe(progress.length);
    expect(lines.at(-1)).toBe(`deployment ${id} succeeded`);
  }, 60_000);

  it("without --wait prints the deployment id and its services, and --json the runner's answer", async () => {
    stack.fixture.repo.commit({ "platform/01.postgres/compose.yaml": "services:\n  db:\n    image: postgres:17\n" });
    stack.fixture.repo.tag("v1.0.1");
    const text = await deploy(["--tag", "v1.0.1", "--services", "postgres"]);
    expect(text.code).toBe(0);
    expect(linesOf(text.stdout)).toEqual([
      expect.stringMatching(/^deployment \S+ accepted: staging, tag v1\.0\.1, commit [0-9a-f]{12}$/),
      "services: postgres",
    ]);
    stack.fixture.repo.commit({ "platform/01.postgres/compose.yaml": "services:\n  db:\n    image: postgres:18\n" });
    stack.fixture.repo.tag("v1.0.2");
    const json = await deploy(["--tag", "v1.0.2", "--services", "postgres", "--json"]);
    expect(json.code).toBe(0);
    expect(linesOf(json.stdout)).toHaveLength(1);
    expect(JSON.parse(json.stdout)).toEqual({
      status: "accepted",
      env: "staging",
      tag: "v1.0.2",
      commit: stack.fixture.repo.head(),
      services: ["postgres"],
      deployments: [expect.any(String)],
    });
  }, 60_000);

  it("--wait --json prints one JSON document with the result and the final job", async () => {
    const run = await deploy(["--ref", stack.fixture.repo.head(), "--wait", "--json"]);
    expect(run.code).toBe(0);
    expect(linesOf(run.stdout)).toHaveLength(1);
    const body = JSON.parse(run.stdout) as { result: string; deployments: string[]; job: JobJson };
    expect(body).toMatchObject({
      status: "accepted",
      env: "staging",
      ref: stack.fixture.repo.head(),
      result: "succeeded",
    });
    expect(body.job.id).toBe(body.deployments[0]);
    expect(body.job.state).toBe("succeeded");
    expect(body.job.services.map((entry) => [entry.service, entry.state])).toEqual([
      ["postgres", "succeeded"],
      ["redis", "succeeded"],
    ]);
  }, 60_000);

  it("exits 1 when a service's deploy fails, with its error on the progress line and one error line", async () => {
    stack.fake.dokploy.configureDeploys({ outcome: "error", errorMessage: "build failed: exit 2" });
    try {
      stack.fixture.repo.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
      stack.fixture.repo.tag("v1.1.0");
      const run = await deploy(["--tag", "v1.1.0", "--services", "redis", "--wait"]);
      expect(run.code).toBe(1);
      const lines = linesOf(run.stdout);
      const id = lines[0]?.split(" ")[1];
      // With IAC_API_TOKEN the runner shows the error text, not only its code.
      expect(lines).toContainEqual(
        expect.stringMatching(/^ {2}redis: failed \(deploy_failed: .*build failed: exit 2.*\)$/),
      );
      expect(lines.at(-1)).toBe(`deployment ${id} failed`);
      expect(linesOf(run.stderr)).toEqual([`iac-runner: deployment ${id} failed: redis failed (deploy_failed)`]);
    } finally {
      stack.fake.dokploy.configureDeploys({ outcome: "done" });
    }
  }, 60_000);

  it("prints the runner's error and code on one line and exits 1 when it refuses the request", async () => {
    const run = await deploy(["--tag", "v9.9.9"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(linesOf(run.stderr)).toEqual([
      expect.stringMatching(/^iac-runner: .*v9\.9\.9.* \(tag_not_found, HTTP 404\)$/),
    ]);
    const json = await deploy(["--tag", "v9.9.9", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      code: "tag_not_found",
      httpStatus: 404,
      error: expect.any(String),
    });
    const verbose = await deploy(["--tag", "v9.9.9", "--verbose"]);
    expect(linesOf(verbose.stderr)[1]).toMatch(/^ {2}404 from POST http:\/\/127\.0\.0\.1:\d+\/deploy$/);
  }, 30_000);

  it("exits 1 with invalid_signature when WEBHOOK_SECRET is not the runner's", async () => {
    const run = await deploy(["--tag", "v1.0.0"], { WEBHOOK_SECRET: "not-the-secret" });
    expect(run.code).toBe(1);
    expect(linesOf(run.stderr)).toEqual([expect.stringMatching(/^iac-runner: .* \(invalid_signature, HTTP 401\)$/)]);
  });

  it("exits 1 with one line when WEBHOOK_SECRET is not set", async () => {
    const run = await deploy(["--tag", "v1.0.0"], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "iac-runner: WEBHOOK_SECRET is not set; export the runner's webhook secret (it is never a flag)\n",
    );
  });

  it("exits 1 with one line naming the URL when nothing answers there", async () => {
    const url = await closedUrl();
    const run = await runBuiltCli(["deploy", "--url", url, "--env", "staging", "--tag", "v1.0.0"], stack.cliEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`iac-runner: cannot reach ${url}/deploy: connection refused (ECONNREFUSED)\n`);
  });

  // Last: the stuck deploy holds the redis lane until the fake lets it finish.
  it("exits 1 when --timeout passes before the deployment ends, saying it goes on", async () => {
    stack.fake.dokploy.configureDeploys({ mode: "stuck" });
    try {
      stack.fixture.repo.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:9\n" });
      stack.fixture.repo.tag("v1.2.0");
      const started = Date.now();
      const run = await deploy(["--tag", "v1.2.0", "--services", "redis", "--wait", "--timeout", "2"]);
      expect(run.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(15_000);
      const id = linesOf(run.stdout)[0]?.split(" ")[1];
      expect(linesOf(run.stderr)).toEqual([
        `iac-runner: deployment ${id} still running after 2 s; it continues on the runner (iac-runner status ${id} --url ${stack.runner.url})`,
      ]);
    } finally {
      stack.fake.dokploy.configureDeploys({ mode: "auto" });
    }
  }, 30_000);

  it("stops following on SIGINT with one line saying the deployment goes on, and exits 1", async () => {
    stack.fake.dokploy.configureDeploys({ mode: "stuck" });
    try {
      stack.fixture.repo.commit({ "platform/01.postgres/compose.yaml": "services:\n  db:\n    image: postgres:19\n" });
      stack.fixture.repo.tag("v1.3.0");
      const { PATH = "" } = process.env;
      const child = spawn(
        process.execPath,
        [
          BUILT_CLI,
          "deploy",
          "--url",
          stack.runner.url,
          "--env",
          "staging",
          "--tag",
          "v1.3.0",
          "--services",
          "postgres",
          "--wait",
        ],
        { env: { PATH, ...stack.cliEnv }, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
      // Interrupt once it follows the job: its first progress line is out.
      await new Promise<void>((resolve) => {
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk.toString();
          if (/^ {2}postgres: /m.test(stdout)) {
            resolve();
          }
        });
      });
      child.kill("SIGINT");
      expect(await exited).toBe(1);
      const id = linesOf(stdout)[0]?.split(" ")[1];
      expect(stderr).toBe(
        `iac-runner: stopped following deployment ${id}; it continues on the runner (iac-runner status ${id} --url ${stack.runner.url})\n`,
      );
    } finally {
      stack.fake.dokploy.configureDeploys({ mode: "auto" });
    }
  }, 30_000);
});
