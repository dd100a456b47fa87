import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliStack, closedUrl, deployAndWait, startCliStack } from "../helpers/cli-stack.js";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";

describe("iac-runner status (built CLI against a running runner)", () => {
  let stack: CliStack;
  let succeeded: string;
  let failed: string;

  beforeAll(async () => {
    stack = await startCliStack();
    succeeded = await deployAndWait(stack, "v1.0.0", "postgres,redis");
    stack.fake.dokploy.configureDeploys({ outcome: "error", errorMessage: "image pull failed" });
    stack.fixture.repo.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
    stack.fixture.repo.tag("v1.1.0");
    failed = await deployAndWait(stack, "v1.1.0", "redis");
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  const status = (args: string[], env: Record<string, string> = stack.cliEnv) =>
    runBuiltCli(["status", ...args, "--url", stack.runner.url], env);

  it("shows the deployment, where it deploys from and one line per service", async () => {
    const run = await status([succeeded]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(linesOf(run.stdout)).toEqual([
      `deployment ${succeeded}: succeeded`,
      expect.stringMatching(/^ {2}staging: tag v1\.0\.0, commit [0-9a-f]{12}$/),
      expect.stringMatching(/^ {2}deploy, created \S+, finished \S+$/),
      expect.stringMatching(/^ {2}postgres {2}succeeded \(created, hash v2:[0-9a-f]{12}, [\d.]+ s\)$/),
      expect.stringMatching(/^ {2}redis {5}succeeded \(created, hash v2:[0-9a-f]{12}, [\d.]+ s\)$/),
    ]);
  });

  it("--json prints the deployment as the runner returns it", async () => {
    const run = await status([succeeded, "--json"]);
    expect(run.code).toBe(0);
    expect(linesOf(run.stdout)).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: succeeded,
      env: "staging",
      trigger: "deploy",
      state: "succeeded",
      tag: "v1.0.0",
      ref: null,
      commit: expect.stringMatching(/^[0-9a-f]{40}$/),
      services: [
        { service: "postgres", state: "succeeded", result: { status: "created" } },
        { service: "redis", state: "succeeded", result: { status: "created" } },
      ],
    });
  });

  it("shows a failed service's error text with IAC_API_TOKEN and only its code without, exiting 0 either way", async () => {
    const withToken = await status([failed]);
    expect(withToken.code).toBe(0);
    expect(withToken.stdout).toMatch(/^ {2}redis {2}failed \(deploy_failed: .*image pull failed.*\)$/m);
    const withoutToken = await status([failed], {});
    expect(withoutToken.code).toBe(0);
    expect(withoutToken.stdout).toMatch(/^ {2}redis {2}failed \(deploy_failed, [\d.]+ s\)$/m);
    expect(withoutToken.stdout).not.toContain("image pull failed");
  });

  it("exits 1 with the runner's error for an unknown deployment", async () => {
    const run = await status(["no-such-deployment"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      'iac-runner: no deployment "no-such-deployment" (unknown or expired) (deployment_not_found, HTTP 404)\n',
    );
    const json = await status(["no-such-deployment", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({
      error: 'no deployment "no-such-deployment" (unknown or expired)',
      code: "deployment_not_found",
      httpStatus: 404,
    });
  });

  it("exits 1 with one line naming the URL when nothing answers there", async () => {
    const url = await closedUrl();
    const run = await runBuiltCli(["status", succeeded, "--url", url], stack.cliEnv);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `iac-runner: cannot reach ${url}/deployments/${succeeded}: connection refused (ECONNREFUSED)\n`,
    );
  });
});
