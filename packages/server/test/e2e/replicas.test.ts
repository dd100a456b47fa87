// Two built runners in child processes sharing one PostgreSQL database, as two replicas behind one load balancer.
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
import { parsedLines, type RunnerProcess, startRunnerProcess } from "../helpers/runner-process.js";
import { type ServedFake, serveFakeDokploy } from "../helpers/serve-fake.js";
import { createTestDatabase, type TestDatabase } from "../store/postgres-test-database.js";

interface JobBody {
  id: string;
  state: string;
  services: Array<{ service: string; result: { status: string; hashAfter: string | null } | null }>;
}

const REDIS = (image: string) => `services:\n  redis:\n    image: ${image}\n`;

describe("two runners on one PostgreSQL", () => {
  let fixture: InfraFixture;
  let fake: ServedFake;
  let database: TestDatabase;
  const dataDirs: string[] = [];
  let runners: RunnerProcess[] = [];

  const start = async (): Promise<RunnerProcess> => {
    const dataDir = makeTemp();
    dataDirs.push(dataDir);
    const runner = await startRunnerProcess({
      WEBHOOK_SECRET: SECRET,
      GIT_REPO_URL: fixture.repo.url,
      DOKPLOY_URL: fake.dokploy.baseUrl,
      DOKPLOY_API_KEY: fake.dokploy.apiKey,
      IAC_DATA_DIR: dataDir,
      IAC_DATABASE_URL: database.connectionString,
      IAC_LEASE_SECONDS: "2",
    });
    runners.push(runner);
    return runner;
  };

  const send = async (
    runner: RunnerProcess,
    request: Request,
  ): Promise<{ status: number; body: JobBody & { deployments?: string[]; status?: string } }> => {
    const response = await fetch(`${runner.url}${new URL(request.url).pathname}`, {
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    });
    return { status: response.status, body: (await response.json()) as JobBody & { deployments?: string[] } };
  };

  const job = async (runner: RunnerProcess, id: string): Promise<JobBody> =>
    (await (await fetch(`${runner.url}/deployments/${id}`)).json()) as JobBody;

  const ended = async (runner: RunnerProcess, id: string): Promise<JobBody> => {
    await expect
      .poll(async () => (await job(runner, id)).state, { timeout: 30_000, interval: 100 })
      .toMatch(/^(succeeded|failed|cancelled|superseded)$/);
    return job(runner, id);
  };

  /** Both runners up, and the branch position recorded by whichever caught up first. */
  const startBoth = async (): Promise<[RunnerProcess, RunnerProcess]> => {
    const [a, b] = await Promise.all([start(), start()]);
    await expect
      .poll(() => [a, b].some((runner) => runner.lines.some((line) => line.includes("starting point"))), {
        timeout: 15_000,
      })
      .toBe(true);
    return [a, b];
  };

  beforeEach(async () => {
    fixture = createInfraFixture();
    fake = await serveFakeDokploy({ deploy: { mode: "auto" } });
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await Promise.all(runners.map((runner) => runner.kill()));
    runners = [];
    await fake.close();
    await database.drop();
    fixture.cleanup();
    cleanupTemp(...dataDirs.splice(0));
  });

  it("runs the same delivery sent to both runners once, and each answers for the job", async () => {
    const [a, b] = await startBoth();
    const after = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
    const payload = pushPayload({ before: fixture.initial, after });
    const [first, second] = await Promise.all([
      send(a, await webhookRequest(payload, { delivery: "same-delivery" })),
      send(b, await webhookRequest(payload, { delivery: "same-delivery" })),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    expect([first.body.status, second.body.status].sort()).toEqual(["accepted", "duplicate"]);
    expect(first.body.deployments).toEqual(second.body.deployments);
    const id = first.body.deployments?.[0] ?? "";
    const fromA = await ended(a, id);
    const fromB = await job(b, id);
    expect(fromA).toEqual(fromB);
    expect(fromA.state).toBe("succeeded");
    expect(fake.dokploy.state.deployCalls).toHaveLength(1);
    const redis = [...fake.dokploy.state.composes.values()].find((row) => row.name === "redis");
    expect(readStoredHash(redis?.env ?? null)).toBe(fromA.services[0]?.result?.hashAfter);
  }, 60_000);

  it("finishes the sync of a runner killed mid-deploy on the other one, without deploying twice", async () => {
    const [a, b] = await startBoth();
    fake.dokploy.configureDeploys({ mode: "manual" });
    const after = fixture.repo.commit({ "platform/02.redis/compose.yaml": REDIS("redis:7.2") });
    const accepted = await send(a, await webhookRequest(pushPayload({ before: fixture.initial, after })));
    expect(accepted.status).toBe(202);
    const id = accepted.body.deployments?.[0] ?? "";
    await expect.poll(() => fake.dokploy.state.deployCalls.length, { timeout: 15_000 }).toBe(1);
    fake.dokploy.advance();
    expect(fake.dokploy.state.deployCalls[0]?.status).toBe("running");
    // Whichever runner claimed the sync logged "deploying service" for the job: kill that one.
    const owner = [a, b].find((runner) =>
      parsedLines(runner).some((line) => line.msg === "deploying service" && line["job"] === id),
    );
    const survivor = owner === a ? b : a;
    expect(owner).toBeDefined();
    await owner?.kill();
    const worker = setInterval(() => fake.dokploy.advance(), 50);
    try {
      const done = await ended(survivor, id);
      expect(done.state).toBe("succeeded");
      expect(done.services[0]?.result?.status).toBe("created");
      expect(fake.dokploy.state.deployCalls).toHaveLength(1);
      expect(parsedLines(survivor).some((line) => line["job"] === id && line["attempt"] === 2)).toBe(true);
    } finally {
      clearInterval(worker);
    }
  }, 60_000);
});
