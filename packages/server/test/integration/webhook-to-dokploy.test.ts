import { createFakeClock, createFakeDokploy, createFakeVault } from "@iac/sdk/testing";
import { readStoredHash } from "@iac/sync";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import type { HealthCheckState, Runner, SyncClock, SyncJob } from "../../src/types.js";
import {
  ciRequest,
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
import { startLiveRunner, useMsw } from "./live-runner.js";

const server = useMsw();

const POSTGRES = "platform/01.postgres/compose.yaml";
const REDIS = "platform/02.redis/compose.yaml";
const compose = (image: string): string => `services:\n  app:\n    image: ${image}\n`;

describe("a push, end to end through the runner's own engine and store, the fake Dokploy and Vault", () => {
  let fixture: InfraFixture;
  let runner: Runner;

  afterEach(async () => {
    await runner.close();
    fixture.cleanup();
  });

  const setup = async (dokployHealth = 200) => {
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
    // The configuration lands before the runner starts: its catch-up records that commit as the starting point.
    const before = fixture.repo.commit({
      "iac.config.yaml": "services:\n  postgres:\n    vault:\n      - secret/data/platform/{env}/postgres\n",
    });
    const lines: LoggedLine[] = [];
    runner = await createRunner({
      settings: testSettings(fixture.repo.url, fixture.dataDir, {
        dokploy: { baseUrl: dokploy.baseUrl, apiKey: dokploy.apiKey },
        vault: { address: vault.address, token: vault.token },
      }),
      git: fixture.mirror,
      clock,
      logger: createLineLogger(lines),
      healthIntervalMs: 0,
    });
    return { dokploy, lines, before };
  };

  const waitForJob = async (id: string): Promise<SyncJob> => {
    let job: SyncJob | undefined;
    await expect
      .poll(async () => {
        job = (await (await runner.fetch(new Request(`http://runner.test/deployments/${id}`))).json()) as SyncJob;
        return job.state;
      })
      .toMatch(/succeeded|failed|superseded|cancelled/);
    return job as SyncJob;
  };

  it("deploys only the changed service at the tip, records its hash, and logs with correlation ids", async () => {
    const { dokploy, lines, before } = await setup();
    await expect.poll(() => lines.some((line) => line.msg?.startsWith("empty store: the branch tip"))).toBe(true);
    const after = fixture.repo.commit({ [POSTGRES]: "services:\n  db:\n    image: postgres:16\n" });
    const payload = pushPayload({ before, after, files: { modified: [POSTGRES] } });
    const response = await runner.fetch(await webhookRequest(payload, { delivery: "e2e-delivery" }));
    expect(response.status).toBe(202);
    const body = await json(response);
    expect(body).toMatchObject({ status: "accepted", services: ["postgres"], commit: after });
    const [id] = body.deployments as string[];
    const job = await waitForJob(id ?? "");
    expect(job).toMatchObject({
      state: "succeeded",
      services: [{ service: "postgres", state: "succeeded", result: { status: "created", commit: after } }],
    });

    const composes = [...dokploy.state.composes.values()];
    expect(composes.map((row) => row.name)).toEqual(["postgres"]);
    expect(readStoredHash(composes[0]?.env)).toBe(job.services[0]?.result?.hashAfter);

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
    await setup(503);
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

describe("pushes only move forward (real engine, fake Dokploy)", () => {
  const deliver = async (live: Awaited<ReturnType<typeof startLiveRunner>>, before: string, after: string) =>
    live.runner.fetch(
      await webhookRequest(pushPayload({ before, after, files: { modified: [POSTGRES] } }), {
        delivery: crypto.randomUUID(),
      }),
    );

  it("keeps the newest content deployed when an older push arrives after the newer one was synced", async () => {
    const live = await startLiveRunner(server);
    const older = live.fixture.repo.commit({ [POSTGRES]: compose("nginx:older") });
    const newer = live.fixture.repo.commit({ [POSTGRES]: compose("nginx:newer") });
    const first = await deliver(live, older, newer);
    expect(first.status).toBe(202);
    const job = await live.waitForJob(((await json(first)).deployments as string[])[0] ?? "");
    expect(job).toMatchObject({ state: "succeeded", commit: newer });
    expect(live.composeFile("postgres")).toContain("nginx:newer");
    const deploys = live.dokploy.state.deployCalls.length;

    const late = await deliver(live, live.fixture.initial, older);
    expect(late.status).toBe(202);
    expect(await json(late)).toMatchObject({ status: "ignored", commit: older });
    await live.runner.engine.idle();
    expect(live.dokploy.state.deployCalls).toHaveLength(deploys);
    expect(live.composeFile("postgres")).toContain("nginx:newer");
    expect((await live.store.listJobs({ limit: 10 })).jobs.map((entry) => entry.id)).toEqual([job.id]);
    expect(await live.store.cursor("staging")).toEqual({ planned: newer, synced: newer });
  });

  it("keeps the newest content deployed when the older push arrives while the newer one still runs", async () => {
    const live = await startLiveRunner(server);
    const older = live.fixture.repo.commit({ [POSTGRES]: compose("nginx:older") });
    const newer = live.fixture.repo.commit({ [POSTGRES]: compose("nginx:newer") });
    const first = await deliver(live, older, newer);
    const late = await deliver(live, live.fixture.initial, older);
    expect([first.status, late.status].every((status) => status === 200 || status === 202)).toBe(true);
    await live.runner.engine.idle();
    const { jobs } = await live.store.listJobs({ limit: 10 });
    expect(jobs.map((entry) => entry.commit).every((commit) => commit === newer)).toBe(true);
    for (const call of live.dokploy.state.deployCalls) {
      expect(call.snapshot?.compose.composeFile).toContain("nginx:newer");
    }
    expect(live.composeFile("postgres")).toContain("nginx:newer");
  });
});

describe('"wait": true (real engine, fake Dokploy)', () => {
  const waitFor = async (live: Awaited<ReturnType<typeof startLiveRunner>>, path: string, body: object) => {
    const response = await live.runner.fetch(await ciRequest(path, { ...body, wait: true }));
    return { response, body: await json(response) };
  };

  it("answers /deploy with 200 succeeded and the ended job once every service succeeded", async () => {
    const live = await startLiveRunner(server);
    live.fixture.repo.tag("v1.0.0");
    const { response, body } = await waitFor(live, "/deploy", { env: "staging", tag: "v1.0.0" });
    expect(response.status).toBe(200);
    const id = (body.deployments as string[])[0];
    expect(body).toMatchObject({
      status: "succeeded",
      env: "staging",
      tag: "v1.0.0",
      commit: live.fixture.initial,
      services: ["postgres", "redis"],
      job: {
        id,
        state: "succeeded",
        services: [
          { service: "postgres", state: "succeeded", result: { status: "created" } },
          { service: "redis", state: "succeeded", result: { status: "created" } },
        ],
      },
    });
    expect(live.storedHash("postgres")).toEqual(expect.any(String));
  });

  it("answers /sync with 200 succeeded when the services were skipped (nothing changed)", async () => {
    const live = await startLiveRunner(server);
    const first = await waitFor(live, "/sync", { services: ["redis"] });
    expect(first.response.status).toBe(200);
    const again = await waitFor(live, "/sync", { services: ["redis"] });
    expect(again.response.status).toBe(200);
    expect(again.body).toMatchObject({
      status: "succeeded",
      env: "staging",
      services: ["redis"],
      job: { state: "succeeded", services: [{ service: "redis", result: { status: "skipped" } }] },
    });
    expect(again.body.deployments).not.toEqual(first.body.deployments);
    expect(live.dokploy.state.deployCalls).toHaveLength(1);
  });

  it.each([
    ["/deploy", { env: "staging", ref: "" }],
    ["/sync", { services: ["postgres"] }],
  ])("answers %s with 502 deploy_failed and the job when a service failed", async (path, request) => {
    const live = await startLiveRunner(server, { dokploy: { deploy: { mode: "auto", outcome: "error" } } });
    const body = "ref" in request ? { ...request, ref: live.fixture.initial, services: ["postgres"] } : request;
    const { response, body: answer } = await waitFor(live, path, body);
    expect(response.status).toBe(502);
    const id = (answer.deployments as string[])[0];
    expect(answer).toMatchObject({
      code: "deploy_failed",
      error: `deployment ${id} ended failed: a service failed`,
      job: {
        id,
        state: "failed",
        services: [
          { service: "postgres", state: "failed", result: { status: "failed", error: { code: "deploy_failed" } } },
        ],
      },
    });
    expect(live.storedHash("postgres")).toBeNull();
  });

  it.each([
    ["/deploy", { env: "staging", services: ["postgres"] }],
    ["/sync", { services: ["postgres"] }],
  ])("answers %s with 202 pending and the running job after IAC_WAIT_SECONDS", async (path, request) => {
    const live = await startLiveRunner(server, { dokploy: { deploy: { mode: "stuck" } }, settings: { waitMs: 300 } });
    const body = path === "/deploy" ? { ...request, ref: live.fixture.initial } : request;
    const started = Date.now();
    const { response, body: answer } = await waitFor(live, path, body);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(202);
    const id = (answer.deployments as string[])[0];
    expect(answer).toMatchObject({
      status: "accepted",
      pending: true,
      services: ["postgres"],
      job: { id, state: "running", services: [{ service: "postgres", state: "running", result: null }] },
    });
  });

  it("rolls back: an explicit older tag deployed after a newer one puts the older content back", async () => {
    const live = await startLiveRunner(server);
    const { repo } = live.fixture;
    repo.commit({ [POSTGRES]: compose("nginx:one"), [REDIS]: compose("redis:one") });
    repo.tag("v1.0.0");
    repo.commit({ [POSTGRES]: compose("nginx:two") });
    repo.tag("v2.0.0");
    const newer = await waitFor(live, "/deploy", { env: "staging", tag: "v2.0.0", services: ["postgres"] });
    expect(newer.response.status).toBe(200);
    expect(live.composeFile("postgres")).toContain("nginx:two");
    const older = await waitFor(live, "/deploy", { env: "staging", tag: "v1.0.0", services: ["postgres"] });
    expect(older.response.status).toBe(200);
    expect(older.body).toMatchObject({ job: { services: [{ result: { status: "updated" } }] } });
    expect(live.composeFile("postgres")).toContain("nginx:one");
  });
});
