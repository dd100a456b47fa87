import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import type { JobPage, JobQuery, JobStore, Runner, RunnerSettings, SyncEngine, SyncJob } from "../../src/types.js";
import {
  ciRequest,
  createInfraFixture,
  createLineLogger,
  createStubEngine,
  type InfraFixture,
  json,
  type LoggedLine,
  memoryStore,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
} from "../helpers/runner-fixture.js";
import { startLiveRunner, useMsw } from "../integration/live-runner.js";
import { finishJob, TEST_RUNNER } from "./store-tasks.js";

const TOKEN = "test-api-token-0123456789";
const UPSTREAM = "Dokploy said: build broke at step 3 (registry.internal:5000)";

const server = useMsw();

/** A request to the runner, with the API token unless `token` says otherwise (null: no Authorization header). */
function apiRequest(
  path: string,
  options: { method?: string; token?: string | null; body?: string; type?: string | undefined } = {},
): Request {
  const headers = new Headers();
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) {
    headers.set("authorization", `Bearer ${token}`);
  }
  if (options.type !== undefined) {
    headers.set("content-type", options.type);
  }
  return new Request(`http://runner.test${path}`, {
    method: options.method ?? "GET",
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
}

const cancelRequest = (id: string, body?: unknown, options: { token?: string | null; type?: string } = {}) =>
  apiRequest(`/deployments/${id}/cancel`, {
    method: "POST",
    ...options,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    type: options.type ?? (body === undefined ? undefined : "application/json"),
  });

describe("the /deployments API over a store whose jobs never run", () => {
  let fixture: InfraFixture;
  let store: JobStore;
  let engine: StubEngine;
  let runner: Runner;

  const start = async (
    settings: Partial<RunnerSettings> = { apiToken: TOKEN },
    options: { engine?: SyncEngine; lines?: LoggedLine[] } = {},
  ): Promise<void> => {
    await runner?.close();
    runner = await createRunner(
      stubRunnerOptions(fixture, engine, {
        settings: testSettings(fixture.repo.url, fixture.dataDir, settings),
        ...(options.engine === undefined ? {} : { engine: options.engine }),
        ...(options.lines === undefined ? {} : { logger: createLineLogger(options.lines) }),
      }),
    );
  };

  /** Stores a `/deploy` job of `services` at the initial commit and returns its id. */
  const deployJob = async (env: string, services: string[]): Promise<string> => {
    const response = await runner.fetch(await ciRequest("/deploy", { env, ref: fixture.initial, services }));
    expect(response.status).toBe(202);
    return ((await json(response)).deployments as string[])[0] ?? "";
  };

  const list = async (query = ""): Promise<JobPage> => {
    const response = await runner.fetch(apiRequest(`/deployments${query}`));
    expect(response.status).toBe(200);
    return (await response.json()) as JobPage;
  };

  const ids = (page: JobPage): string[] => page.jobs.map((job) => job.id);

  beforeAll(() => {
    fixture = createInfraFixture();
  });
  afterAll(() => fixture.cleanup());

  beforeEach(async () => {
    store = await memoryStore();
    engine = createStubEngine(store);
    await start();
  });

  afterEach(async () => {
    await runner.close();
  });

  describe("authorization", () => {
    const endpoints = [
      ["GET /deployments", () => apiRequest("/deployments", { token: null })],
      ["POST /deployments/<id>/cancel", () => cancelRequest("some-id", undefined, { token: null })],
    ] as const;

    it.each(endpoints)(
      "%s answers 401 without a bearer token, with a wrong one, or another scheme",
      async (_n, make) => {
        const plain = make();
        const wrong = new Request(plain, { headers: { authorization: "Bearer not-the-token-at-all" } });
        const basic = new Request(plain.clone(), { headers: { authorization: `Basic ${TOKEN}` } });
        for (const request of [plain, wrong, basic]) {
          const response = await runner.fetch(request);
          expect(response.status).toBe(401);
          expect(response.headers.get("www-authenticate")).toBe('Bearer realm="iac-runner"');
          expect(await json(response)).toMatchObject({ code: "unauthorized" });
        }
      },
    );

    it.each(endpoints)("%s does not exist (404) when no API token is configured", async (_n, make) => {
      await start({ apiToken: undefined });
      const withToken = new Request(make(), { headers: { authorization: `Bearer ${TOKEN}` } });
      const response = await runner.fetch(withToken);
      expect(response.status).toBe(404);
      expect(await json(response)).toMatchObject({ code: "not_found" });
    });

    it("does not cancel anything for a caller without the token", async () => {
      const id = await deployJob("staging", ["redis"]);
      const response = await runner.fetch(cancelRequest(id, undefined, { token: "wrong-token-wrong-token" }));
      expect(response.status).toBe(401);
      expect((await store.getJob(id))?.state).toBe("queued");
    });
  });

  describe("GET /deployments", () => {
    let production: string;
    let redis: string;
    let postgres: string;

    beforeEach(async () => {
      production = await deployJob("production", ["postgres"]);
      redis = await deployJob("staging", ["redis"]);
      postgres = await deployJob("staging", ["postgres"]);
      await store.cancelJob(redis, false, Date.now());
    });

    it("lists jobs newest first with their services", async () => {
      const page = await list();
      expect(ids(page)).toEqual([postgres, redis, production]);
      expect(page.nextCursor).toBeNull();
      expect(page.jobs[0]).toMatchObject({
        env: "staging",
        commit: fixture.initial,
        trigger: "deploy",
        state: "queued",
        services: [{ service: "postgres", state: "queued", reason: { code: "requested" }, result: null }],
      });
    });

    it.each([
      ["?env=staging", () => [postgres, redis]],
      ["?service=postgres", () => [postgres, production]],
      ["?state=cancelled", () => [redis]],
      ["?state=queued&env=staging", () => [postgres]],
      ["?env=staging&service=redis&state=cancelled", () => [redis]],
      ["?env=qa", () => []],
    ])("filters with %s", async (query, want) => {
      const page = await list(query);
      expect(ids(page)).toEqual(want());
      expect(page.nextCursor).toBeNull();
    });

    it("pages with limit and nextCursor until the last page", async () => {
      const first = await list("?limit=2");
      expect(ids(first)).toEqual([postgres, redis]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await list(`?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? "")}`);
      expect(ids(second)).toEqual([production]);
      expect(second.nextCursor).toBeNull();
    });

    it("pages a filtered list by the same filter", async () => {
      const first = await list("?env=staging&limit=1");
      const second = await list(`?env=staging&limit=1&cursor=${encodeURIComponent(first.nextCursor ?? "")}`);
      expect([...ids(first), ...ids(second)]).toEqual([postgres, redis]);
      expect(second.nextCursor).toBeNull();
    });

    it("answers HEAD with the status and no body", async () => {
      const response = await runner.fetch(apiRequest("/deployments", { method: "HEAD" }));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("");
    });

    const STATES = "queued, running, succeeded, failed, superseded, cancelled";
    it.each([
      ["limit=0", 'limit must be an integer from 1 to 100, received "0"'],
      ["limit=101", 'limit must be an integer from 1 to 100, received "101"'],
      ["limit=1.5", 'limit must be an integer from 1 to 100, received "1.5"'],
      ["limit=-1", 'limit must be an integer from 1 to 100, received "-1"'],
      ["limit=ten", 'limit must be an integer from 1 to 100, received "ten"'],
      ["limit=0100", 'limit must be an integer from 1 to 100, received "0100"'],
      ["state=done", `state must be one of ${STATES}, received "done"`],
      ["state=QUEUED", `state must be one of ${STATES}, received "QUEUED"`],
      ["env=", "env must be given once, with a value"],
      ["env=staging&env=production", "env must be given once, with a value"],
      ["limit=1&limit=2", "limit must be given once, with a value"],
      ["sort=asc", 'unknown parameter "sort": expected env, service, state, limit or cursor'],
      ["cursor=not-a-cursor", "cursor is not one this runner gave out"],
      ["cursor=MA", "cursor is not one this runner gave out"],
    ])("answers 400 invalid_request for ?%s", async (query, error) => {
      const response = await runner.fetch(apiRequest(`/deployments?${query}`));
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ code: "invalid_request", error });
    });

    it.each([["queued"], ["running"], ["succeeded"], ["failed"], ["superseded"], ["cancelled"]])(
      "filters by state %s",
      async (state) => {
        const page = await list(`?state=${state}`);
        expect(page.jobs.every((job) => job.state === state)).toBe(true);
      },
    );

    it("asks the engine for 20 jobs by default, and for up to 100", async () => {
      const queries: JobQuery[] = [];
      await start(undefined, {
        engine: {
          ...engine,
          list: (query) => {
            queries.push(query);
            return engine.list(query);
          },
        },
      });
      await list();
      await list("?limit=100&env=staging&service=redis&state=cancelled");
      expect(queries).toEqual([
        { env: undefined, service: undefined, state: undefined, limit: 20, cursor: undefined },
        { env: "staging", service: "redis", state: "cancelled", limit: 100, cursor: undefined },
      ]);
    });

    it.each([
      ["a TypeError without a cursor", "", new TypeError("broken")],
      ["another error with a cursor", "?cursor=abc", new RangeError("broken")],
    ])("answers 500 for %s from the engine", async (_name, query, failure) => {
      await start(undefined, {
        engine: {
          ...engine,
          list: () => Promise.reject(failure),
        },
      });
      const response = await runner.fetch(apiRequest(`/deployments${query}`));
      expect(response.status).toBe(500);
      expect(await json(response)).toEqual({ code: "internal_error", error: "internal error" });
    });
  });

  describe("GET /deployments/<id>", () => {
    let failed: SyncJob;

    beforeEach(async () => {
      const id = await deployJob("staging", ["postgres"]);
      failed = await finishJob(
        store,
        id,
        "failed",
        { code: "deploy_failed", message: UPSTREAM },
        {
          cancelActions: [{ action: "compose.cleanQueues", ok: false, error: `cleanQueues failed: ${UPSTREAM}` }],
        },
      );
    });

    const errorOf = async (response: Response) => {
      expect(response.status).toBe(200);
      const job = (await response.json()) as SyncJob;
      expect(job).toMatchObject({ id: failed.id, state: "failed" });
      return job.services[0]?.result;
    };

    it("shows the whole job, upstream text included, with the API token", async () => {
      const result = await errorOf(await runner.fetch(apiRequest(`/deployments/${failed.id}`)));
      expect(result?.error).toEqual({ code: "deploy_failed", message: UPSTREAM });
      expect(result?.cancelActions).toEqual([
        { action: "compose.cleanQueues", ok: false, error: `cleanQueues failed: ${UPSTREAM}` },
      ]);
    });

    it.each([
      ["without a token", null],
      ["with a wrong token", "wrong-token-wrong-token"],
    ])("works %s but shows error codes only, never upstream text", async (_name, token) => {
      const response = await runner.fetch(apiRequest(`/deployments/${failed.id}`, { token }));
      const text = await response.clone().text();
      const result = await errorOf(response);
      expect(result?.error).toEqual({ code: "deploy_failed", message: "deploy_failed" });
      expect(result?.cancelActions).toEqual([{ action: "compose.cleanQueues", ok: false }]);
      expect(text).not.toContain("registry.internal");
    });

    it("shows error codes only when no API token is configured at all", async () => {
      await start({ apiToken: undefined });
      const result = await errorOf(await runner.fetch(apiRequest(`/deployments/${failed.id}`)));
      expect(result?.error).toEqual({ code: "deploy_failed", message: "deploy_failed" });
    });

    it.each([
      ["an unknown id", "unknown-id", "unknown-id"],
      ["an encoded id", "a%20b", "a b"],
      ["a malformed escape, as written", "nope%ZZ", "nope%ZZ"],
    ])("answers 404 deployment_not_found for %s", async (_name, path, id) => {
      const response = await runner.fetch(apiRequest(`/deployments/${path}`, { token: null }));
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({
        code: "deployment_not_found",
        error: `no deployment ${JSON.stringify(id)} (unknown or expired)`,
      });
    });
  });

  describe("POST /deployments/<id>/cancel", () => {
    it("cancels a queued job at once: its services end cancelled", async () => {
      const id = await deployJob("staging", ["postgres", "redis"]);
      const response = await runner.fetch(cancelRequest(id));
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({
        status: "cancelling",
        force: false,
        dequeued: ["postgres", "redis"],
        stopping: [],
        job: {
          id,
          state: "cancelled",
          services: [
            { service: "postgres", state: "cancelled" },
            { service: "redis", state: "cancelled" },
          ],
        },
      });
      expect((await store.getJob(id))?.state).toBe("cancelled");
    });

    it("passes force on", async () => {
      const id = await deployJob("staging", ["redis"]);
      const response = await runner.fetch(cancelRequest(id, { force: true }));
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({ status: "cancelling", force: true, dequeued: ["redis"] });
    });

    it("answers already_finished for a job that ended, and changes nothing", async () => {
      const id = await deployJob("staging", ["redis"]);
      await finishJob(store, id, "succeeded");
      const response = await runner.fetch(cancelRequest(id, {}));
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({
        status: "already_finished",
        dequeued: [],
        stopping: [],
        job: { id, state: "succeeded" },
      });
    });

    it("answers 404 deployment_not_found for an unknown id", async () => {
      const response = await runner.fetch(cancelRequest("no-such-job"));
      expect(response.status).toBe(404);
      expect(await json(response)).toEqual({
        code: "deployment_not_found",
        error: 'no deployment "no-such-job" (unknown or expired)',
      });
    });

    it("answers cancelling for a job with a queued and a running service, and logs the request", async () => {
      const lines: LoggedLine[] = [];
      await start(undefined, { lines });
      const id = await deployJob("staging", ["postgres", "redis"]);
      expect(await store.claimTask(TEST_RUNNER, Date.now(), 60_000)).toMatchObject({ jobId: id });
      const response = await runner.fetch(cancelRequest(id));
      expect(await json(response)).toMatchObject({
        status: "cancelling",
        force: false,
        dequeued: ["redis"],
        stopping: ["postgres"],
      });
      // The job itself is in the answer, not in the log line.
      expect(lines.filter((line) => line.msg === "cancel requested")).toEqual([
        {
          level: "info",
          msg: "cancel requested",
          requestId: expect.any(String),
          method: "POST",
          path: `/deployments/${id}/cancel`,
          deployment: id,
          force: false,
          dequeued: ["redis"],
          stopping: ["postgres"],
        },
      ]);
    });

    it("answers with the job as it is after waiting up to 2 s for it to settle", async () => {
      const waits: unknown[][] = [];
      const settled = { id: "settled", state: "cancelled" };
      await start(undefined, {
        engine: {
          ...engine,
          wait: async (...args) => {
            waits.push(args);
            return settled as SyncJob;
          },
        },
      });
      const id = await deployJob("staging", ["redis"]);
      const response = await runner.fetch(cancelRequest(id));
      expect(await json(response)).toMatchObject({ status: "cancelling", job: settled });
      expect(waits).toEqual([[id, 2_000]]);
    });

    const OBJECT = "request body must be a JSON object";
    it.each([
      ["force as a string", { force: "yes" }, undefined, 400, "invalid_request", "force must be true or false"],
      [
        "an unknown field",
        { force: true, reason: "because" },
        undefined,
        400,
        "invalid_request",
        'unknown field "reason": expected only force',
      ],
      ["an array body", [true], undefined, 400, "invalid_request", OBJECT],
      ["a JSON null body", "null", undefined, 400, "invalid_request", OBJECT],
      ["a JSON number body", "5", undefined, 400, "invalid_request", OBJECT],
      ["a JSON string body", '"force"', undefined, 400, "invalid_request", OBJECT],
      ["a body that is not JSON", "{force", undefined, 400, "invalid_json", "request body is not valid JSON"],
      [
        "a body that is not declared as JSON",
        "force=true",
        "application/x-www-form-urlencoded",
        415,
        "unsupported_media_type",
        "expected application/json (or no body)",
      ],
      [
        "a JSON body without a content type",
        '{"force":true}',
        "",
        415,
        "unsupported_media_type",
        "expected application/json (or no body)",
      ],
    ])("refuses %s and leaves the job queued", async (_name, body, type, status, code, error) => {
      const id = await deployJob("staging", ["redis"]);
      const response = await runner.fetch(cancelRequest(id, body, type === undefined ? {} : { type }));
      expect(response.status).toBe(status);
      expect(await json(response)).toEqual({ code, error });
      expect((await store.getJob(id))?.state).toBe("queued");
    });

    it("answers 405 for GET", async () => {
      const response = await runner.fetch(apiRequest("/deployments/x/cancel"));
      expect(response.status).toBe(405);
      expect(response.headers.get("allow")).toBe("POST");
    });
  });
});

describe("cancelling a running job (real engine, fake Dokploy)", () => {
  const startRunning = async (mode: "stuck" | "manual") => {
    const live = await startLiveRunner(server, { dokploy: { deploy: { mode } }, settings: { apiToken: TOKEN } });
    const response = await live.runner.fetch(await ciRequest("/sync", { services: ["postgres"] }));
    expect(response.status).toBe(202);
    const id = ((await json(response)).deployments as string[])[0] ?? "";
    await live.waitUntilDeploying(id);
    return { ...live, id };
  };

  it("stops the sync: cancelled, no hash recorded, Dokploy's queue cleaned and the build left alone", async () => {
    const live = await startRunning("stuck");
    const response = await live.runner.fetch(cancelRequest(live.id));
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({
      status: "cancelling",
      force: false,
      dequeued: [],
      stopping: ["postgres"],
    });
    const job = await live.waitForJob(live.id);
    expect(job).toMatchObject({
      state: "cancelled",
      services: [
        { service: "postgres", state: "cancelled", result: { status: "cancelled", error: { code: "cancelled" } } },
      ],
    });
    expect(job.services[0]?.result?.cancelActions).toEqual([{ action: "compose.cleanQueues", ok: true }]);
    expect(live.storedHash("postgres")).toBeNull();
    expect(live.calls).toContain("compose.cleanQueues");
    expect(live.calls).not.toContain("compose.killBuild");
    expect(live.killed).toEqual([]);
    expect(live.calls.filter((call) => call === "compose.deploy")).toHaveLength(1);
  });

  it("kills the running build only with force", async () => {
    const live = await startRunning("stuck");
    const response = await live.runner.fetch(cancelRequest(live.id, { force: true }));
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ force: true, stopping: ["postgres"] });
    const job = await live.waitForJob(live.id);
    expect(job.state).toBe("cancelled");
    expect(job.services[0]?.result?.cancelActions).toEqual([
      { action: "compose.cleanQueues", ok: true },
      { action: "compose.killBuild", ok: true },
    ]);
    const composeId = job.services[0]?.result?.composeId;
    expect(live.killed).toEqual([composeId]);
    expect(live.storedHash("postgres")).toBeNull();
  });

  it("drops a deploy still queued in Dokploy, so it never runs", async () => {
    const live = await startRunning("manual");
    const response = await live.runner.fetch(cancelRequest(live.id));
    expect(response.status).toBe(200);
    const job = await live.waitForJob(live.id);
    expect(job.state).toBe("cancelled");
    expect(live.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["cancelled"]);
    live.dokploy.runDeployments();
    expect(live.dokploy.state.deployments.size).toBe(0);
    expect(live.storedHash("postgres")).toBeNull();
  });
});
