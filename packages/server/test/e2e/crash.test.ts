// Crash tests: the built `iac-runner serve` in a child process, killed with SIGKILL at each step of a sync, then
// restarted on the same data folder (SQLite store and git mirror). Whatever the step, the job must end in a terminal
// state, the hash Dokploy holds must be the one of the content it deployed, and nothing may be deployed twice.
import type { FaultRule } from "@iac/sdk/testing";
import { readStoredHash } from "@iac/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanupTemp, makeTemp } from "../helpers/git-repo.js";
import {
  createInfraFixture,
  type InfraFixture,
  pushPayload,
  SECRET,
  webhookRequest,
} from "../helpers/runner-fixture.js";
import { type RunnerProcess, startRunnerProcess } from "../helpers/runner-process.js";
import { type ServedFake, serveFakeDokploy } from "../helpers/serve-fake.js";

interface JobBody {
  state: string;
  services: Array<{ state: string; attempts: number; result: { status: string; hashAfter: string | null } | null }>;
}

const REDIS = (image: string) => `services:\n  redis:\n    image: ${image}\n`;
/** Long enough to kill the runner while it waits; the answer is an error, so the request is never applied. */
const BLOCK: Pick<FaultRule, "status" | "delayMs"> = { status: 503, delayMs: 20_000 };

describe("kill -9 at each step of a sync, then restart on the same store", () => {
  let fixture: InfraFixture;
  let fake: ServedFake;
  let dataDir: string;
  let runner: RunnerProcess | undefined;

  const start = async (): Promise<RunnerProcess> => {
    runner = await startRunnerProcess({
      WEBHOOK_SECRET: SECRET,
      GIT_REPO_URL: fixture.repo.url,
      DOKPLOY_URL: fake.dokploy.baseUrl,
      DOKPLOY_API_KEY: fake.dokploy.apiKey,
      IAC_DATA_DIR: dataDir,
    });
    return runner;
  };

  const push = async (before: string, after: string): Promise<string> => {
    const target = runner;
    if (target === undefined) {
      throw new Error("no runner");
    }
    const request = await webhookRequest(pushPayload({ before, after }));
    const response = await fetch(`${target.url}/webhook`, {
      method: "POST",
      headers: request.headers,
      body: await request.text(),
    });
    const body = (await response.json()) as { deployments?: string[] };
    expect(response.status).toBe(202);
    const [id] = body.deployments ?? [];
    if (id === undefined) {
      throw new Error(`no job: ${JSON.stringify(body)}`);
    }
    return id;
  };

  const job = async (id: string): Promise<JobBody> =>
    (await (await fetch(`${runner?.url}/deployments/${id}`)).json()) as JobBody;

  const ended = async (id: string): Promise<JobBody> => {
    await expect
      .poll(async () => (await job(id)).state, { timeout: 30_000, interval: 100 })
      .toMatch(/^(succeeded|failed|cancelled|superseded)$/);
    return job(id);
  };

  const redisEnv = (): string | null =>
    [...fake.dokploy.state.composes.values()].find((row) => row.name === "redis")?.env ?? null;

  /** Deploys redis once (auto mode), then leaves the fake in manual mode for the sync under test. */
  const deployed = async (): Promise<string> => {
    await start();
    // The first start records the branch tip as its starting point; wait for it so the push below is newer.
    await expect
      .poll(() => runner?.lines.some((line) => line.includes("starting point")), { timeout: 15_000 })
      .toBe(true);
    const first = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.0") });
    const id = await push(fixture.initial, first);
    expect((await ended(id)).state).toBe("succeeded");
    fake.dokploy.configureDeploys({ mode: "manual" });
    return first;
  };

  const waitForRequest = (path: string, count = 1) =>
    expect
      .poll(() => fake.requests.filter((request) => request === `/api${path}`).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(count);

  const ranDeploys = () => fake.dokploy.state.deployCalls.filter((call) => call.status === "done").length;

  beforeEach(async () => {
    fixture = createInfraFixture();
    fake = await serveFakeDokploy({ deploy: { mode: "auto" } });
    dataDir = makeTemp();
  });

  afterEach(async () => {
    await runner?.kill();
    runner = undefined;
    await fake.close();
    fixture.cleanup();
    cleanupTemp(dataDir);
  });

  /** Between a kill and the restart, Dokploy must never hold the new content under the old hash. */
  const expectNoNewContentUnderOldHash = (): void => {
    const compose = [...fake.dokploy.state.composes.values()].find((row) => row.name === "redis");
    if (compose?.composeFile.includes("redis:7.2")) {
      expect(readStoredHash(redisEnv())).toBeNull();
    }
  };

  /** After the restart: the job ends succeeded with the new content deployed once and its hash recorded. */
  const expectRecovered = async (id: string): Promise<void> => {
    await start();
    // Let Dokploy's worker run whatever it holds until the runner has recorded the job.
    const worker = setInterval(() => fake.dokploy.advance(), 50);
    try {
      const done = await ended(id);
      expect(done.state).toBe("succeeded");
      const [redis] = done.services;
      expect(redis?.result?.status).toBe("updated");
      expect(readStoredHash(redisEnv())).toBe(redis?.result?.hashAfter);
      const compose = [...fake.dokploy.state.composes.values()].find((row) => row.name === "redis");
      expect(compose?.composeFile).toContain("redis:7.2");
      // One deploy for the first push, exactly one for this one.
      expect(ranDeploys()).toBe(2);
    } finally {
      clearInterval(worker);
    }
  };

  it.each([
    ["before any Dokploy call", "/project.all"],
    ["after the old hash was invalidated, before the compose update", "/compose.update"],
    ["before compose.deploy reached Dokploy", "/compose.deploy"],
  ])(
    "is killed %s",
    async (_name, route) => {
      const first = await deployed();
      const before = fake.requests.filter((request) => request === `/api${route}`).length;
      const fault = fake.dokploy.inject({ route, ...BLOCK });
      const second = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
      const id = await push(first, second);
      await waitForRequest(route, before + 1);
      await runner?.kill();
      fault.remove();
      expectNoNewContentUnderOldHash();
      await expectRecovered(id);
    },
    60_000,
  );

  it("is killed after the compose update, while the new env is written", async () => {
    const first = await deployed();
    // Slow the compose update down so the fault on the env write that follows it is in place in time.
    const slow = fake.dokploy.inject({ route: "/compose.update", delayMs: 500, times: 1 });
    const second = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
    const id = await push(first, second);
    await expect.poll(() => slow.hits(), { timeout: 15_000 }).toBe(1);
    const writes = fake.requests.filter((request) => request === "/api/compose.saveEnvironment").length;
    const fault = fake.dokploy.inject({ route: "/compose.saveEnvironment", ...BLOCK });
    await waitForRequest("/compose.saveEnvironment", writes + 1);
    await runner?.kill();
    fault.remove();
    expectNoNewContentUnderOldHash();
    expect(fake.dokploy.state.deployCalls).toHaveLength(1);
    await expectRecovered(id);
  }, 60_000);

  it("is killed while compose.deploy is in flight and Dokploy runs it anyway (lost answer)", async () => {
    const first = await deployed();
    const fault = fake.dokploy.inject({ route: "/compose.deploy", delayMs: 300, times: 1 });
    const second = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
    const id = await push(first, second);
    await expect.poll(() => fault.hits(), { timeout: 15_000 }).toBe(1);
    await runner?.kill();
    // The delayed call is applied after the kill: Dokploy queued a deploy nobody saw the answer of, and its worker
    // picks it up while the runner is down (its row exists before the runner looks again).
    await expect.poll(() => fake.dokploy.state.deployCalls.length, { timeout: 5_000 }).toBe(2);
    fake.dokploy.advance();
    expect(fake.dokploy.state.deployCalls[1]?.status).toBe("running");
    fault.remove();
    expect(readStoredHash(redisEnv())).toBeNull();
    await expectRecovered(id);
    expect(fake.dokploy.state.deployCalls).toHaveLength(2);
  }, 60_000);

  it("is killed while Dokploy runs the deploy", async () => {
    const first = await deployed();
    const second = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
    const id = await push(first, second);
    await expect.poll(() => fake.dokploy.state.deployCalls.length, { timeout: 15_000 }).toBe(2);
    fake.dokploy.advance();
    expect(fake.dokploy.state.deployCalls[1]?.status).toBe("running");
    await runner?.kill();
    expect(readStoredHash(redisEnv())).toBeNull();
    await expectRecovered(id);
    expect(fake.dokploy.state.deployCalls).toHaveLength(2);
  }, 60_000);

  it("is killed after the deploy finished, before its hash was recorded", async () => {
    const first = await deployed();
    const second = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
    const id = await push(first, second);
    await expect.poll(() => fake.dokploy.state.deployCalls.length, { timeout: 15_000 }).toBe(2);
    const writes = fake.requests.filter((request) => request === "/api/compose.saveEnvironment").length;
    const fault = fake.dokploy.inject({ route: "/compose.saveEnvironment", ...BLOCK });
    fake.dokploy.runDeployments();
    expect(fake.dokploy.state.deployCalls[1]?.status).toBe("done");
    await waitForRequest("/compose.saveEnvironment", writes + 1);
    await runner?.kill();
    fault.remove();
    expect(readStoredHash(redisEnv())).toBeNull();
    await expectRecovered(id);
    expect(fake.dokploy.state.deployCalls).toHaveLength(2);
  }, 60_000);

  it("resumes a job that was only queued when the runner died", async () => {
    const first = await deployed();
    const fault = fake.dokploy.inject({ route: "/project.all", ...BLOCK });
    const second = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
    const third = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.4") });
    const blocked = await push(first, second);
    await waitForRequest("/project.all", 2);
    await runner?.kill();
    fault.remove();
    await start();
    const worker = setInterval(() => fake.dokploy.advance(), 50);
    try {
      expect((await ended(blocked)).state).toBe("succeeded");
      // A push that arrived while the runner was down is found by the catch-up at start.
      await expect
        .poll(() => [...fake.dokploy.state.composes.values()].find((row) => row.name === "redis")?.composeFile, {
          timeout: 30_000,
        })
        .toContain("redis:7.4");
      expect(third).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      clearInterval(worker);
    }
  }, 60_000);
});
