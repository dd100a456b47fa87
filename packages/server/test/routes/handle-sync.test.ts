import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import type { Runner } from "../../src/types.js";
import {
  ciRequest,
  createInfraFixture,
  createStubEngine,
  type InfraFixture,
  json,
  type StubEngine,
  stubRunnerOptions,
} from "../helpers/runner-fixture.js";

describe("POST /sync", () => {
  let fixture: InfraFixture;
  let engine: StubEngine;
  let runner: Runner;

  beforeEach(() => {
    fixture = createInfraFixture();
    engine = createStubEngine();
    runner = createRunner(stubRunnerOptions(fixture, engine));
  });

  afterEach(async () => {
    await runner.close();
    fixture.cleanup();
  });

  it("syncs the listed services at the fetched head of the branch for DEPLOY_ENV", async () => {
    const head = fixture.repo.commit({ "platform/02.redis/compose.yaml": "v: 2\n" });
    const response = await runner.fetch(await ciRequest("/sync", { services: ["platform/postgres", "redis"] }));
    expect(response.status).toBe(202);
    expect(await json(response)).toEqual({
      status: "accepted",
      env: "staging",
      commit: head,
      services: ["postgres", "redis"],
      deployments: ["job-1"],
    });
    expect(engine.starts[0]).toMatchObject({ env: "staging", commit: head, trigger: "sync" });
  });

  it("syncs every automatic service with all: true, in the requested environment", async () => {
    const response = await runner.fetch(await ciRequest("/sync", { all: true, env: "production" }));
    expect(await json(response)).toMatchObject({ env: "production", services: ["postgres", "redis"] });
  });

  it.each([
    ["services as a string", { services: "postgres" }],
    ["both services and all", { services: ["postgres"], all: true }],
    ["neither field", {}],
    ["all: false", { all: false }],
    ["all as a string", { all: "true" }],
    ["an empty list", { services: [] }],
    ["a list with a non-string", { services: ["postgres", 1] }],
    ["extra fields", { services: ["postgres"], junk: 1 }],
    ["a JSON string body", JSON.stringify("postgres")],
    ["a null body", null],
  ])("answers 400 invalid_request for %s", async (_name, body) => {
    const response = await runner.fetch(await ciRequest("/sync", body));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "invalid_request" });
    expect(engine.starts).toEqual([]);
  });

  it("answers 400 invalid_json for a signed body that is not JSON", async () => {
    const response = await runner.fetch(await ciRequest("/sync", "{services:"));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "invalid_json" });
  });

  it("answers 400 unknown_service listing the known services", async () => {
    const response = await runner.fetch(await ciRequest("/sync", { services: ["postgres", "p"] }));
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      code: "unknown_service",
      error: 'unknown service "p": expected one of postgres, redis',
      known: ["postgres", "redis"],
    });
  });

  it("answers 403 service_manual for a bootstrap service, whatever the form of its name", async () => {
    for (const name of ["iac-runner", "bootstrap/iac-runner", "bootstrap/06.iac-runner"]) {
      const response = await runner.fetch(await ciRequest("/sync", { services: [name] }));
      expect(response.status).toBe(403);
      expect(await json(response)).toMatchObject({ code: "service_manual", service: "iac-runner", layer: "bootstrap" });
    }
    expect(engine.starts).toEqual([]);
  });

  it("answers 400 unknown_env for an environment the repository does not configure", async () => {
    const response = await runner.fetch(await ciRequest("/sync", { all: true, env: "moon" }));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "unknown_env", known: ["staging", "production"] });
  });

  it("answers 401 for an unsigned request", async () => {
    const response = await runner.fetch(await ciRequest("/sync", { all: true }, { unsigned: true }));
    expect(response.status).toBe(401);
  });
});
