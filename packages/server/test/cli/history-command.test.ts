import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type CliStack, deployAndWait, startCliStack } from "../helpers/cli-stack.js";
import { linesOf, runBuiltCli } from "../helpers/run-built-cli.js";

interface Page {
  jobs: Array<{ id: string; state: string; tag: string | null; services: Array<{ service: string }> }>;
  nextCursor: string | null;
}

describe("iac-runner history (built CLI against a running runner)", () => {
  let stack: CliStack;
  let first: string;
  let second: string;

  beforeAll(async () => {
    stack = await startCliStack();
    first = await deployAndWait(stack, "v1.0.0", "postgres,redis");
    stack.fake.dokploy.configureDeploys({ outcome: "error" });
    stack.fixture.repo.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
    stack.fixture.repo.tag("v1.1.0");
    second = await deployAndWait(stack, "v1.1.0", "redis");
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  const history = (args: string[], env: Record<string, string> = stack.cliEnv) =>
    runBuiltCli(["history", "--url", stack.runner.url, ...args], env);

  it("lists deployments newest first, one line each", async () => {
    const run = await history([]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(linesOf(run.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(`^${second}  failed {4}  \\S+  staging  tag v1\\.1\\.0, commit [0-9a-f]{12}  deploy  redis$`),
      ),
      expect.stringMatching(
        new RegExp(
          `^${first}  succeeded   \\S+  staging  tag v1\\.0\\.0, commit [0-9a-f]{12}  deploy  postgres, redis$`,
        ),
      ),
    ]);
  });

  it("--json prints the page; --state, --service and --env filter it", async () => {
    const all = await history(["--json"]);
    expect(all.code).toBe(0);
    const page = JSON.parse(all.stdout) as Page;
    expect(page.jobs.map((job) => job.id)).toEqual([second, first]);
    expect(page.nextCursor).toBeNull();
    const failed = JSON.parse((await history(["--state", "failed", "--json"])).stdout) as Page;
    expect(failed.jobs.map((job) => job.id)).toEqual([second]);
    const postgres = JSON.parse((await history(["--service", "postgres", "--json"])).stdout) as Page;
    expect(postgres.jobs.map((job) => job.id)).toEqual([first]);
    const production = await history(["--env", "production"]);
    expect(production.stdout).toBe("no deployments match\n");
  });

  it("--limit pages with a cursor that --cursor follows", async () => {
    const run = await history(["--limit", "1"]);
    const lines = linesOf(run.stdout);
    expect(lines[0]).toMatch(new RegExp(`^${second} `));
    const cursor = /^more: add --cursor (\S+)$/.exec(lines[1] ?? "")?.[1];
    expect(cursor).toBeDefined();
    const next = JSON.parse((await history(["--limit", "1", "--cursor", cursor ?? "", "--json"])).stdout) as Page;
    expect(next.jobs.map((job) => job.id)).toEqual([first]);
  });

  it("exits 1 and says so when IAC_API_TOKEN is not set", async () => {
    const run = await history([], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "iac-runner: IAC_API_TOKEN is not set; history needs the runner's API token (export IAC_API_TOKEN)\n",
    );
  });

  it("exits 1 with the runner's refusal for a wrong token", async () => {
    const run = await history([], { IAC_API_TOKEN: `${API_TOKEN}-wrong` });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("iac-runner: expected Authorization: Bearer <IAC_API_TOKEN> (unauthorized, HTTP 401)\n");
  });

  it("exits 1 saying the runner has no token configured when its history endpoint is off", async () => {
    const bare = await startCliStack({ apiToken: false });
    try {
      const run = await runBuiltCli(["history", "--url", bare.runner.url], bare.cliEnv);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `iac-runner: the runner at ${bare.runner.url} has no IAC_API_TOKEN configured, so its history endpoint is off\n`,
      );
    } finally {
      await bare.close();
    }
  }, 60_000);
});
