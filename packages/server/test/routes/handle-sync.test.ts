import { PLAN_ERRORS } from "@iac/sync";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import type { JobStore, Runner } from "../../src/types.js";
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
} from "../helpers/runner-fixture.js";
import { finishJob } from "./store-tasks.js";

describe("POST /sync", () => {
  let fixture: InfraFixture;
  let store: JobStore;
  let engine: StubEngine;
  let runner: Runner;

  const sync = async (body: unknown, options: Parameters<typeof ciRequest>[2] = {}) =>
    runner.fetch(await ciRequest("/sync", body, options));

  // One repository for the file; each test starts with main back at the initial layout.
  beforeAll(() => {
    fixture = createInfraFixture();
  });
  afterAll(() => fixture.cleanup());

  beforeEach(async () => {
    fixture.repo.git("reset", "--hard", "--quiet", fixture.initial);
    store = await memoryStore();
    engine = createStubEngine(store);
    runner = await createRunner(stubRunnerOptions(fixture, engine));
  });

  afterEach(async () => {
    await runner.close();
  });

  it("syncs the listed services at the fetched tip of the branch for DEPLOY_ENV, without moving its position", async () => {
    const head = fixture.repo.commit({ "platform/02.redis/compose.yaml": "v: 2\n" });
    const response = await sync({ services: ["platform/postgres", "redis"] });
    expect(response.status).toBe(202);
    const [submitted] = engine.submitted;
    expect(await json(response)).toEqual({
      status: "accepted",
      env: "staging",
      commit: head,
      services: ["postgres", "redis"],
      deployments: [submitted?.id],
    });
    expect(submitted).toMatchObject({ env: "staging", commit: head, trigger: "sync", cursor: undefined });
    expect(submitted?.delivery).toEqual(expect.any(String));
    expect(submitted?.services.map(({ service, reason }) => [service.name, reason.code])).toEqual([
      ["postgres", "requested"],
      ["redis", "requested"],
    ]);
    expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
  });

  it("syncs every automatic service with all: true in the requested environment and moves its position", async () => {
    expect(await store.initCursor("production", fixture.initial)).toBe(true);
    const head = fixture.repo.commit({ "README.md": "# newer\n" });
    const response = await sync({ all: true, env: "production" });
    expect(response.status).toBe(202);
    expect(await json(response)).toMatchObject({ env: "production", commit: head, services: ["postgres", "redis"] });
    expect(engine.submitted[0]).toMatchObject({ commit: head, cursor: { expected: fixture.initial } });
    expect(await store.cursor("production")).toEqual({ planned: head, synced: fixture.initial });
    await finishJob(store, engine.submitted[0]?.id ?? "", "succeeded");
    expect(await store.cursor("production")).toEqual({ planned: head, synced: head });
  });

  it("may be sent again: an identical request answers the job in flight, and runs again once it ended", async () => {
    const first = await sync({ services: ["postgres"] });
    const again = await sync({ services: ["postgres"] });
    const firstId = (await json(first)).deployments;
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(await json(again)).toMatchObject({ status: "duplicate", deployments: firstId });
    await finishJob(store, engine.submitted[0]?.id ?? "", "succeeded");
    const head = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
    const later = await sync({ services: ["postgres"] });
    expect(later.status).toBe(202);
    expect(await json(later)).toMatchObject({ status: "accepted", commit: head });
    expect((await store.listJobs({ limit: 10 })).jobs).toHaveLength(2);
  });

  const ONE_OF = 'exactly one of services (an array) or "all": true is required';
  const SERVICE_LIST = 'services must be a non-empty array of service names, e.g. ["postgres"]';
  const OBJECT = "request body must be a JSON object";

  it.each([
    ["services as a string", { services: "postgres" }, SERVICE_LIST],
    ["both services and all", { services: ["postgres"], all: true }, ONE_OF],
    ["neither field", {}, ONE_OF],
    ["all: false", { all: false }, "all must be true when present"],
    ["all as a string", { all: "true" }, "all must be true when present"],
    ["an empty list", { services: [] }, SERVICE_LIST],
    ["a list with a non-string", { services: ["postgres", 1] }, SERVICE_LIST],
    [
      "extra fields",
      { services: ["postgres"], junk: 1 },
      'unknown field "junk": expected only services, all, env, wait',
    ],
    ["wait as a string", { services: ["postgres"], wait: "true" }, "wait must be true or false"],
    ["wait as null", { all: true, wait: null }, "wait must be true or false"],
    ["env as a number", { all: true, env: 7 }, "env must be a non-empty string"],
    ["a JSON string body", JSON.stringify("postgres"), OBJECT],
    ["a JSON number body", 7, OBJECT],
    ["a null body", null, OBJECT],
  ])("answers 400 invalid_request for %s", async (_name, body, error) => {
    const response = await sync(body);
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ code: "invalid_request", error });
    expect(engine.submitted).toEqual([]);
  });

  it("answers 200 no_changes when the tip has no automatic service", async () => {
    const head = fixture.repo.commit({ "iac.config.yaml": "layers:\n  platform: manual\n" });
    const response = await sync({ all: true });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      status: "no_changes",
      env: "staging",
      commit: head,
      services: [],
      deployments: [],
    });
    expect(engine.submitted).toEqual([]);
  });

  it("logs the sync it planned with the request and the environment", async () => {
    const lines: LoggedLine[] = [];
    await runner.close();
    runner = await createRunner(stubRunnerOptions(fixture, engine, { logger: createLineLogger(lines) }));
    await sync({ services: ["redis"], env: "production" });
    const [job] = engine.submitted;
    expect(lines.filter((line) => line.msg === "sync planned")).toEqual([
      expect.objectContaining({
        level: "info",
        delivery: job?.delivery,
        env: "production",
        commit: fixture.initial,
        services: ["redis"],
        deployment: job?.id,
      }),
    ]);
  });

  it("answers 400 invalid_json for a signed body that is not JSON", async () => {
    const response = await sync("{services:");
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "invalid_json" });
  });

  it("answers 400 unknown_service listing the known services", async () => {
    const response = await sync({ services: ["postgres", "p"] });
    expect(response.status).toBe(PLAN_ERRORS.unknown_service.status);
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      code: "unknown_service",
      error: 'unknown service "p": expected one of postgres, redis',
      known: ["postgres", "redis"],
    });
  });

  it("answers 403 service_manual for a bootstrap service, whatever the form of its name", async () => {
    for (const name of ["iac-runner", "bootstrap/iac-runner", "bootstrap/06.iac-runner"]) {
      const response = await sync({ services: [name] });
      expect(response.status).toBe(403);
      expect(response.status).toBe(PLAN_ERRORS.service_manual.status);
      expect(await json(response)).toMatchObject({ code: "service_manual", service: "iac-runner", layer: "bootstrap" });
    }
    expect(engine.submitted).toEqual([]);
  });

  it("answers 400 unknown_env for an environment the repository does not configure", async () => {
    const response = await sync({ all: true, env: "moon" });
    expect(response.status).toBe(400);
    expect(response.status).toBe(PLAN_ERRORS.unknown_env.status);
    expect(await json(response)).toMatchObject({ code: "unknown_env", known: ["staging", "production"] });
    expect(await store.cursor("moon")).toEqual({ planned: null, synced: null });
  });

  it("answers 422 config_invalid when the tip's iac.config.yaml is invalid", async () => {
    fixture.repo.commit({ "iac.config.yaml": "layers:\n  platform: sometimes\n" });
    const response = await sync({ all: true });
    expect(response.status).toBe(422);
    expect(await json(response)).toMatchObject({ code: "config_invalid" });
  });

  it("answers 401 for an unsigned request", async () => {
    const response = await sync({ all: true }, { unsigned: true });
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ code: "missing_signature" });
  });

  it("refuses a replayed timestamped request with 401 replayed_request", async () => {
    const options = { timestamped: true, timestamp: Math.floor(Date.now() / 1000), nonce: "sync-nonce-1" };
    const first = await sync({ services: ["redis"] }, options);
    const replay = await sync({ services: ["redis"] }, options);
    expect(first.status).toBe(202);
    expect(replay.status).toBe(401);
    expect(await json(replay)).toMatchObject({ code: "replayed_request" });
    expect(engine.submitted).toHaveLength(1);
  });
});
