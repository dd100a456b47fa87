import { createServer } from "node:net";
import { runBuiltCli } from "./run-built-cli.js";
import { createInfraFixture, type InfraFixture, SECRET } from "./runner-fixture.js";
import { type RunnerProcess, startRunnerProcess } from "./runner-process.js";
import { type ServedFake, serveFakeDokploy } from "./serve-fake.js";

/** The runner's `IAC_API_TOKEN` in CLI tests. */
export const API_TOKEN = "cli-test-api-token-0123456789";

/** A built `iac-runner serve` over a test repository and the fake Dokploy on loopback, for client commands. */
export interface CliStack {
  fixture: InfraFixture;
  fake: ServedFake;
  runner: RunnerProcess;
  /** The environment of a CLI that talks to this runner: its secret and API token. */
  cliEnv: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts the stack: the infra repository (postgres, redis, the runner itself) tagged `v1.0.0`, the fake Dokploy
 * finishing deploys on its own, and the runner with `IAC_API_TOKEN` unless `apiToken` is false.
 */
export async function startCliStack(options: { apiToken?: boolean } = {}): Promise<CliStack> {
  const fixture = createInfraFixture();
  fixture.repo.tag("v1.0.0");
  const fake = await serveFakeDokploy({ deploy: { mode: "auto" } });
  // The project and environment exist up front: two services syncing at once into a Dokploy without them would
  // each create the project, and the next sync would find two.
  const { project } = fake.dokploy.seed.project({ name: "platform" });
  fake.dokploy.seed.environment({ name: "staging", projectId: project.projectId });
  const runner = await startRunnerProcess({
    WEBHOOK_SECRET: SECRET,
    GIT_REPO_URL: fixture.repo.url,
    DOKPLOY_URL: fake.dokploy.baseUrl,
    DOKPLOY_API_KEY: fake.dokploy.apiKey,
    IAC_DATA_DIR: fixture.dataDir,
    ...(options.apiToken === false ? {} : { IAC_API_TOKEN: API_TOKEN }),
  });
  return {
    fixture,
    fake,
    runner,
    cliEnv: { WEBHOOK_SECRET: SECRET, IAC_API_TOKEN: API_TOKEN },
    async close() {
      await runner.kill();
      await fake.close();
      fixture.cleanup();
    },
  };
}

/** A loopback URL where nothing listens: a port that was free a moment ago. */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Deploys `tag` to staging with the built `iac-runner deploy --wait` for `services` (comma-separated); the job id. */
export async function deployAndWait(stack: CliStack, tag: string, services: string): Promise<string> {
  const run = await runBuiltCli(
    ["deploy", "--url", stack.runner.url, "--env", "staging", "--tag", tag, "--services", services, "--wait", "--json"],
    stack.cliEnv,
  );
  return (JSON.parse(run.stdout) as { deployments: string[] }).deployments[0] ?? "";
}
