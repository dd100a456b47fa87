import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createRunner } from "../src/create-runner.js";
import { noopLogger } from "../src/logging/noop-logger.js";
import { createSqliteStore } from "../src/store/create-sqlite-store.js";
import { SQLITE_FILE } from "../src/store/open-store.js";
import type { JobStore, Logger, Runner } from "../src/types.js";
import { version } from "../src/version.js";
import {
  ciRequest,
  createInfraFixture,
  createLineLogger,
  createStubEngine,
  type InfraFixture,
  json,
  type LoggedLine,
  memoryStore,
  pushPayload,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
  webhookRequest,
} from "./helpers/runner-fixture.js";

describe("createRunner", () => {
  let fixture: InfraFixture;
  let store: JobStore;
  let engine: StubEngine;
  let runner: Runner;
  let now: number;

  beforeAll(() => {
    fixture = createInfraFixture();
  });
  afterAll(() => fixture.cleanup());

  beforeEach(async () => {
    store = await memoryStore();
    engine = createStubEngine(store);
    now = 1_000_000;
    runner = await createRunner(
      stubRunnerOptions(fixture, engine, {
        healthChecks: undefined,
        clock: { now: () => now, sleep: async () => undefined },
      }),
    );
  });

  afterEach(async () => {
    await runner.close();
  });

  it("exposes fetch as a bound property that works detached from the runner", async () => {
    const { fetch } = runner;
    const response = await fetch(new Request("http://runner.test/health"));
    expect(response.status).toBe(200);
  });

  it("answers a standard Request with a real Response, as Bun and Deno need", async () => {
    const response = await runner.fetch(new Request("http://runner.test/nope"));
    expect(Object.getPrototypeOf(response)).toBe(Response.prototype);
    expect(response.status).toBe(404);
  });

  it("is healthy before the first clone, with the checks still pending", async () => {
    const fresh = createInfraFixture();
    try {
      const local = await createRunner(
        stubRunnerOptions(fresh, engine, {
          healthChecks: undefined,
          clock: { now: () => now, sleep: async () => undefined },
        }),
      );
      expect(await fresh.mirror.isCloned()).toBe(false);
      now += 5_000;
      const response = await local.fetch(new Request("http://runner.test/health"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      const body = await json(response);
      expect(body).toMatchObject({ status: "healthy", version, uptime: 5 });
      expect(Object.keys(body.checks as object).sort()).toEqual(["dokploy", "git"]);
      expect(await fresh.mirror.isCloned()).toBe(false);
      await local.close();
    } finally {
      fresh.cleanup();
    }
  });

  it("answers HEAD /health with the status and no body", async () => {
    const response = await runner.fetch(new Request("http://runner.test/health", { method: "HEAD" }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it.each([
    ["/", "GET"],
    ["/nope", "POST"],
    ["/deployments/", "GET"],
    ["/deployments/a/b", "GET"],
    ["/webhook/extra", "POST"],
  ])("answers 404 not_found as JSON for %s", async (path, method) => {
    const response = await runner.fetch(new Request(`http://runner.test${path}`, { method }));
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ code: "not_found" });
  });

  it.each([
    ["/webhook", "GET", "POST"],
    ["/deploy", "PUT", "POST"],
    ["/sync", "GET", "POST"],
    ["/health", "POST", "GET, HEAD"],
    ["/deployments", "POST", "GET, HEAD"],
    ["/deployments/some-id", "DELETE", "GET, HEAD"],
    ["/deployments/some-id/cancel", "GET", "POST"],
  ])("answers 405 with Allow for %s %s", async (path, method, allow) => {
    const response = await runner.fetch(new Request(`http://runner.test${path}`, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expect(await json(response)).toMatchObject({ code: "method_not_allowed" });
  });

  it("answers 500 internal_error without the message or stack of an unexpected error, and logs it", async () => {
    const lines: LoggedLine[] = [];
    const broken: StubEngine = {
      ...engine,
      get: () => {
        throw new Error("secret detail: token=abc");
      },
    };
    const local = await createRunner(stubRunnerOptions(fixture, broken, { logger: createLineLogger(lines) }));
    const response = await local.fetch(new Request("http://runner.test/deployments/x"));
    const text = await response.text();
    expect(response.status).toBe(500);
    expect(JSON.parse(text)).toEqual({ error: "internal error", code: "internal_error" });
    expect(text).not.toContain("token");
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "error", msg: "unhandled error", path: "/deployments/x" }),
    );
    await local.close();
  });

  it("serves a job at /deployments/<id> and 404 for an unknown one", async () => {
    const submitted = await runner.fetch(await ciRequest("/sync", { services: ["postgres"] }));
    const [id] = (await json(submitted)).deployments as string[];
    const found = await runner.fetch(new Request(`http://runner.test/deployments/${id}`));
    const missing = await runner.fetch(new Request("http://runner.test/deployments/nope%ZZ"));
    expect(found.status).toBe(200);
    expect(await json(found)).toMatchObject({
      id,
      state: "queued",
      trigger: "sync",
      services: [{ service: "postgres", state: "queued" }],
    });
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ code: "deployment_not_found" });
  });

  it("refuses requests with 503 once closed, and leaves an injected engine and store open", async () => {
    await runner.close();
    const response = await runner.fetch(new Request("http://runner.test/health"));
    expect(response.status).toBe(503);
    expect(await json(response)).toMatchObject({ code: "shutting_down" });
    expect(engine.closed).toBe(false);
    expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
    expect(await store.claimKey("still-open", 1_000, Date.now())).toBe(true);
  });

  it("logs one debug line per request with its status and request id", async () => {
    const lines: LoggedLine[] = [];
    const local = await createRunner(stubRunnerOptions(fixture, engine, { logger: createLineLogger(lines) }));
    await local.fetch(new Request("http://runner.test/nope"));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "debug",
        msg: "request",
        status: 404,
        path: "/nope",
        method: "GET",
        requestId: expect.any(String),
      }),
    );
    await local.close();
  });

  it("builds no debug line, and makes no request id, for a logger that says debug is off", async () => {
    const debug = vi.fn();
    const randomUUID = vi.spyOn(globalThis.crypto, "randomUUID");
    const quiet: Logger = { ...noopLogger, debug, isLevelEnabled: (level) => level !== "debug" };
    const local = await createRunner(stubRunnerOptions(fixture, engine, { logger: quiet }));
    randomUUID.mockClear();
    expect((await local.fetch(new Request("http://runner.test/nope"))).status).toBe(404);
    expect(debug).not.toHaveBeenCalled();
    expect(randomUUID).not.toHaveBeenCalled();
    await local.close();
    randomUUID.mockRestore();
  });

  it("counts a failure of the store by the code it is answered with, 503 store_unavailable", async () => {
    const lines: LoggedLine[] = [];
    const broken: JobStore = { ...store, jobByKey: () => Promise.reject(new Error("disk I/O error")) };
    const local = await createRunner(
      stubRunnerOptions(fixture, engine, { store: broken, logger: createLineLogger(lines) }),
    );
    const payload = pushPayload({ before: fixture.initial, after: fixture.initial });
    expect((await local.fetch(await webhookRequest(payload, { delivery: "d-store" }))).status).toBe(503);
    await local.close();
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: "requests", answered: { "503 store_unavailable": 1 } }),
    );
  });

  it("counts answers by status and error code and summarises them in one info line", async () => {
    const lines: LoggedLine[] = [];
    const local = await createRunner(stubRunnerOptions(fixture, engine, { logger: createLineLogger(lines) }));
    for (let index = 0; index < 50; index += 1) {
      await local.fetch(new Request(`http://runner.test/nope-${index}`));
      await local.fetch(new Request("http://runner.test/webhook", { method: "POST", body: "{}" }));
    }
    await local.fetch(new Request("http://runner.test/health"));
    expect(lines.filter((line) => line.level !== "debug")).toEqual([]);
    await local.close();
    expect(lines.filter((line) => line.level !== "debug")).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "requests",
        answered: { "404 not_found": 50, "415 unsupported_media_type": 50, "200": 1 },
      }),
    ]);
  });
});

describe("createRunner without injected store or engine", () => {
  let fixture: InfraFixture;

  beforeEach(() => {
    fixture = createInfraFixture();
  });
  afterEach(() => fixture.cleanup());

  it("builds its own git mirror, SQLite store and engine under IAC_DATA_DIR, and closes what it created", async () => {
    const own = await createRunner({
      settings: testSettings(fixture.repo.url, fixture.dataDir),
      healthChecks: {},
      catchUp: false,
    });
    const path = join(fixture.dataDir, SQLITE_FILE);
    expect(SQLITE_FILE).toBe("iac-runner.db");
    expect(existsSync(path)).toBe(true);
    const response = await own.fetch(await ciRequest("/deploy", { env: "staging", tag: "v0.0.0-missing" }));
    expect(response.status).toBe(404);
    expect(existsSync(join(fixture.dataDir, "mirror.git", "HEAD"))).toBe(true);
    // One process holds the file while the runner runs.
    await expect(createSqliteStore({ path })).rejects.toThrow(/already open/);

    await own.close();
    await expect(own.engine.submit({} as never)).rejects.toThrow(/shutting down/);
    const reopened = await createSqliteStore({ path });
    await reopened.close();
  });

  it("keeps its jobs in that file, so a restarted runner still knows them", async () => {
    const settings = testSettings(fixture.repo.url, fixture.dataDir, {
      dokploy: { baseUrl: "http://dokploy.test", apiKey: "test-dokploy-key", retry: false },
    });
    // Dokploy is offline: the engine's attempt fails at once and goes back to the queue.
    const offline = (() => Promise.reject(new TypeError("fetch failed"))) as typeof fetch;
    const options = { settings, git: fixture.mirror, healthChecks: {}, catchUp: false, fetch: offline };
    const first = await createRunner(options);
    const accepted = await first.fetch(await ciRequest("/deploy", { env: "staging", ref: fixture.initial }));
    expect(accepted.status).toBe(202);
    const [id] = (await json(accepted)).deployments as string[];
    await first.close();

    const second = await createRunner(options);
    try {
      const found = await second.fetch(new Request(`http://runner.test/deployments/${id}`));
      expect(found.status).toBe(200);
      expect(await json(found)).toMatchObject({ id, commit: fixture.initial });
    } finally {
      await second.close();
    }
  });

  it("closes its own engine but not an injected store", async () => {
    const store = await memoryStore();
    const own = await createRunner({
      settings: testSettings(fixture.repo.url, fixture.dataDir),
      git: fixture.mirror,
      store,
      healthChecks: {},
      catchUp: false,
    });
    await own.close();
    await expect(own.engine.submit({} as never)).rejects.toThrow(/shutting down/);
    expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
    expect(existsSync(join(fixture.dataDir, SQLITE_FILE))).toBe(false);
  });

  it("catches up at start on an empty store: the tip becomes the starting point and nothing is deployed", async () => {
    const store = await memoryStore();
    const calls: string[] = [];
    const recordingFetch = async (input: RequestInfo | URL): Promise<Response> => {
      calls.push(String(input instanceof Request ? input.url : input));
      return new Response("no", { status: 500 });
    };
    const own = await createRunner({
      settings: testSettings(fixture.repo.url, fixture.dataDir),
      git: fixture.mirror,
      store,
      fetch: recordingFetch as typeof fetch,
      healthChecks: {},
    });
    try {
      await expect.poll(() => store.cursor("staging")).toEqual({ planned: fixture.initial, synced: fixture.initial });
      await own.engine.idle();
      expect((await store.listJobs({ limit: 10 })).jobs).toEqual([]);
      expect(calls).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it("answers 503 store_unavailable, without the database's text, when the store fails", async () => {
    const broken = await createSqliteStore({ path: ":memory:" });
    const lines: LoggedLine[] = [];
    const own = await createRunner(
      stubRunnerOptions(fixture, createStubEngine(broken), { logger: createLineLogger(lines) }),
    );
    try {
      await broken.close();
      const response = await own.fetch(await ciRequest("/deploy", { env: "staging", tag: "v1.0.0" }));
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("10");
      expect(await json(response)).toEqual({
        error: "the job store is unavailable; try again later",
        code: "store_unavailable",
      });
      expect(lines.some((line) => line.msg === "job store unavailable")).toBe(true);
    } finally {
      await own.close();
    }
  });
});
