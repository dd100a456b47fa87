import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../src/create-runner.js";
import type { Runner, SyncEngine } from "../src/types.js";
import { version } from "../src/version.js";
import {
  ciRequest,
  createInfraFixture,
  createLineLogger,
  createStubEngine,
  type InfraFixture,
  json,
  type LoggedLine,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
} from "./helpers/runner-fixture.js";

describe("createRunner", () => {
  let fixture: InfraFixture;
  let engine: StubEngine;
  let runner: Runner;
  let now: number;

  beforeEach(() => {
    fixture = createInfraFixture();
    engine = createStubEngine();
    now = 1_000_000;
    runner = createRunner(
      stubRunnerOptions(fixture, engine, {
        healthChecks: undefined,
        clock: { now: () => now, sleep: async () => undefined },
      }),
    );
  });

  afterEach(async () => {
    await runner.close();
    fixture.cleanup();
  });

  it("exposes fetch as a bound property that works detached from the runner", async () => {
    const { fetch } = runner;
    const response = await fetch(new Request("http://runner.test/health"));
    expect(response.status).toBe(200);
  });

  it("is healthy before the first clone, with the checks still pending", async () => {
    expect(await fixture.mirror.isCloned()).toBe(false);
    now += 5_000;
    const response = await runner.fetch(new Request("http://runner.test/health"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await json(response);
    expect(body).toMatchObject({ status: "healthy", version, uptime: 5 });
    expect(Object.keys(body.checks as object).sort()).toEqual(["dokploy", "git"]);
    expect(await fixture.mirror.isCloned()).toBe(false);
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
  ])("answers 405 with Allow for %s %s", async (path, method, allow) => {
    const response = await runner.fetch(new Request(`http://runner.test${path}`, { method }));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expect(await json(response)).toMatchObject({ code: "method_not_allowed" });
  });

  it("answers 500 internal_error without the message or stack of an unexpected error, and logs it", async () => {
    const lines: LoggedLine[] = [];
    const broken: SyncEngine = {
      ...engine,
      get: () => {
        throw new Error("secret detail: token=abc");
      },
    };
    const local = createRunner(stubRunnerOptions(fixture, broken, { logger: createLineLogger(lines) }));
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
    const job = engine.start({ env: "staging", commit: "a".repeat(40), services: ["postgres"], trigger: "sync" });
    const found = await runner.fetch(new Request(`http://runner.test/deployments/${job.id}`));
    const missing = await runner.fetch(new Request("http://runner.test/deployments/nope%ZZ"));
    expect(found.status).toBe(200);
    expect(await json(found)).toMatchObject({ id: job.id, state: "queued", request: { services: ["postgres"] } });
    expect(missing.status).toBe(404);
    expect(await json(missing)).toMatchObject({ code: "deployment_not_found" });
  });

  it("refuses requests with 503 once closed, and leaves an injected engine open", async () => {
    await runner.close();
    const response = await runner.fetch(new Request("http://runner.test/health"));
    expect(response.status).toBe(503);
    expect(await json(response)).toMatchObject({ code: "shutting_down" });
    expect(engine.closed).toBe(false);
  });

  it("builds its own git mirror under IAC_DATA_DIR and its own engine when none is injected", async () => {
    const own = createRunner({ settings: testSettings(fixture.repo.url, fixture.dataDir), healthChecks: {} });
    fixture.repo.tag("v1.0.0");
    const response = await own.fetch(await ciRequest("/deploy", { env: "staging", tag: "v0.0.0-missing" }));
    expect(response.status).toBe(404);
    expect(existsSync(join(fixture.dataDir, "mirror.git", "HEAD"))).toBe(true);
    await own.close();
  });

  it("logs one line per request with its status and request id", async () => {
    const lines: LoggedLine[] = [];
    const local = createRunner(stubRunnerOptions(fixture, engine, { logger: createLineLogger(lines) }));
    await local.fetch(new Request("http://runner.test/nope"));
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "request",
        status: 404,
        path: "/nope",
        method: "GET",
        requestId: expect.any(String),
      }),
    );
    await local.close();
  });
});
