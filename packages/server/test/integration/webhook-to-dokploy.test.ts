import { createFakeClock, createFakeDokploy, createFakeVault } from "@iac/sdk/testing";
import { readStoredHash } from "@iac/sync";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import type { HealthCheckState, Runner, SyncClock, SyncJob } from "../../src/types.js";
import {
  createInfraFixture,
  createLineLogger,
  type InfraFixture,
  json,
  type LoggedLine,
  pushPayload,
  type ResponseBody,
  SECRET,
  testSettings,
  webhookRequest,
} from "../helpers/runner-fixture.js";

const server = setupServer();

describe("a push, end to end through the real engine and the fake Dokploy and Vault", () => {
  let fixture: InfraFixture;
  let runner: Runner;

  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(async () => {
    server.resetHandlers();
    await runner.close();
    fixture.cleanup();
  });
  afterAll(() => server.close());

  const setup = (dokployHealth = 200) => {
    const fake = createFakeClock();
    // Engine sleeps (deploy polling) advance fake time instead of waiting.
    const clock: SyncClock = {
      now: fake.now,
      sleep: (ms) => {
        fake.advance(ms);
        return new Promise((resolve) => setImmediate(resolve));
      },
    };
    const dokploy = createFakeDokploy({ clock: fake, deploy: { mode: "auto" } });
    const vault = createFakeVault({ clock: fake });
    vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: "pg-password-in-vault" });
    server.use(
      ...dokploy.handlers,
      ...vault.handlers,
      http.get(`${dokploy.baseUrl}/api/settings.health`, () => new HttpResponse(null, { status: dokployHealth })),
      http.get(`${vault.address}/v1/sys/health`, () => HttpResponse.json({ initialized: true, sealed: false })),
    );
    fixture = createInfraFixture();
    const lines: LoggedLine[] = [];
    runner = createRunner({
      settings: testSettings(fixture.repo.url, fixture.dataDir, {
        dokploy: { baseUrl: dokploy.baseUrl, apiKey: dokploy.apiKey },
        vault: { address: vault.address, token: vault.token },
      }),
      git: fixture.mirror,
      clock,
      logger: createLineLogger(lines),
      healthIntervalMs: 0,
    });
    return { dokploy, lines };
  };

  const waitForJob = async (id: string): Promise<SyncJob> => {
    let job: SyncJob | undefined;
    await expect
      .poll(async () => {
        job = (await (await runner.fetch(new Request(`http://runner.test/deployments/${id}`))).json()) as SyncJob;
        return job.state;
      })
      .toMatch(/succeeded|failed|superseded/);
    return job as SyncJob;
  };

  it("deploys only the changed service at the pushed commit, records its hash, and logs with correlation ids", async () => {
    const { dokploy, lines } = setup();
    // The configuration lands before the push: a push that changes iac.config.yaml selects every service.
    const before = fixture.repo.commit({
      "iac.config.yaml": "services:\n  postgres:\n    vault:\n      - secret/data/platform/{env}/postgres\n",
    });
    const after = fixture.repo.commit({
      "platform/01.postgres/compose.yaml": "services:\n  db:\n    image: postgres:16\n",
    });
    const payload = pushPayload({ before, after, files: { modified: ["platform/01.postgres/compose.yaml"] } });
    const response = await runner.fetch(await webhookRequest(payload, { delivery: "e2e-delivery" }));
    expect(response.status).toBe(202);
    const body = await json(response);
    expect(body).toMatchObject({ status: "accepted", services: ["postgres"], commit: after });
    const [id] = body.deployments as string[];
    const job = await waitForJob(id ?? "");
    expect(job).toMatchObject({
      state: "succeeded",
      results: [{ service: "postgres", status: "created", commit: after }],
    });

    const composes = [...dokploy.state.composes.values()];
    expect(composes.map((compose) => compose.name)).toEqual(["postgres"]);
    expect(readStoredHash(composes[0]?.env)).toBe(job.results[0]?.hashAfter);

    const syncLines = lines.filter((line) => line.service === "postgres");
    expect(syncLines.length).toBeGreaterThan(0);
    for (const line of syncLines) {
      expect(line).toMatchObject({ delivery: "e2e-delivery", env: "staging", commit: after });
    }
    const logged = JSON.stringify(lines);
    for (const secret of [SECRET, dokploy.apiKey, "pg-password-in-vault"]) {
      expect(logged).not.toContain(secret);
    }
  });

  it("reports a failing Dokploy as degraded on /health only after consecutive failures, still answering 200", async () => {
    setup(503);
    const seen: unknown[] = [];
    let last: ResponseBody = {};
    await expect
      .poll(async () => {
        const response = await runner.fetch(new Request("http://runner.test/health"));
        expect(response.status).toBe(200);
        last = await json(response);
        const { dokploy } = last.checks as Record<string, HealthCheckState>;
        seen.push(dokploy?.status);
        return dokploy?.status;
      })
      .toBe("degraded");
    expect(last).toMatchObject({
      status: "degraded",
      checks: {
        dokploy: { status: "degraded", consecutiveFailures: 3, error: "Dokploy answered HTTP 503" },
        vault: { status: "ok" },
      },
    });
    expect(seen[0]).toBe("pending");
  });
});
