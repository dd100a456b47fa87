import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { createMemoryReplayStore } from "../../src/replay-store.js";
import type { Runner, RunnerOptions } from "../../src/types.js";
import {
  ciRequest,
  createInfraFixture,
  createStubEngine,
  type InfraFixture,
  json,
  SECRET,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
} from "../helpers/runner-fixture.js";

describe("POST /deploy", () => {
  let fixture: InfraFixture;
  let engine: StubEngine;
  let runner: Runner;
  let now: number;

  const start = (options: Partial<RunnerOptions> = {}): void => {
    runner = createRunner(
      stubRunnerOptions(fixture, engine, { clock: { now: () => now, sleep: async () => undefined }, ...options }),
    );
  };

  beforeEach(() => {
    fixture = createInfraFixture();
    engine = createStubEngine();
    now = 1_800_000_000_000;
    start();
  });

  afterEach(async () => {
    await runner.close();
    fixture.cleanup();
  });

  it("deploys every automatic service at the tag's commit for the requested environment", async () => {
    fixture.repo.tag("v1.2.4", { annotated: true });
    fixture.repo.commit({ "platform/03.minio/compose.yaml": "v: 1\n" });
    const response = await runner.fetch(
      await ciRequest("/deploy", { env: "production", tag: "v1.2.4", triggered_by: "github-actions" }),
    );
    expect(response.status).toBe(202);
    expect(await json(response)).toEqual({
      status: "accepted",
      env: "production",
      tag: "v1.2.4",
      commit: fixture.initial,
      services: ["postgres", "redis"],
      deployments: ["job-1"],
    });
    expect(engine.starts[0]).toMatchObject({
      env: "production",
      commit: fixture.initial,
      services: ["postgres", "redis"],
      trigger: "deploy",
      triggeredBy: "github-actions",
    });
  });

  it("deploys only the listed services, in layer/name or name form", async () => {
    fixture.repo.tag("v1.0.0");
    const response = await runner.fetch(
      await ciRequest("/deploy", { env: "staging", tag: "v1.0.0", services: ["platform/redis"] }),
    );
    expect(await json(response)).toMatchObject({ services: ["redis"] });
  });

  it("deploys an exact 40-hex commit given as ref", async () => {
    const commit = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
    const response = await runner.fetch(await ciRequest("/deploy", { env: "staging", ref: commit }));
    expect(response.status).toBe(202);
    expect(await json(response)).toMatchObject({ ref: commit, commit });
  });

  it.each([
    ["an option-like tag", "--upload-pack=touch /tmp/pwned"],
    ["a tag starting with a dash", "-v1"],
    ["a range", "v1..v2"],
    ["a tag with a control character", "v1\n"],
    ["a revision expression", "v1^{tree}"],
    ["a full ref", "refs/heads/main"],
  ])("answers 400 invalid_tag for %s", async (_name, tag) => {
    const response = await runner.fetch(await ciRequest("/deploy", { env: "staging", tag }));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "invalid_tag" });
    expect(engine.starts).toEqual([]);
  });

  it("answers 404 tag_not_found for a tag the repository does not have", async () => {
    const response = await runner.fetch(await ciRequest("/deploy", { env: "staging", tag: "v9.9.9" }));
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ code: "tag_not_found" });
  });

  it.each([
    ["a branch name", "main", 400, "invalid_ref"],
    ["an abbreviated SHA", "abc1234", 400, "invalid_ref"],
    ["an unknown commit", "0123456789abcdef0123456789abcdef01234567", 404, "commit_not_found"],
  ])("refuses %s as ref", async (_name, ref, status, code) => {
    const response = await runner.fetch(await ciRequest("/deploy", { env: "staging", ref }));
    expect(response.status).toBe(status);
    expect(await json(response)).toMatchObject({ code });
  });

  it("answers 400 unknown_env listing the environments configured at that commit", async () => {
    fixture.repo.commit({ "iac.config.yaml": "environments:\n  staging: {}\n  qa: {}\n" });
    fixture.repo.tag("v2.0.0");
    const response = await runner.fetch(await ciRequest("/deploy", { env: "production", tag: "v2.0.0" }));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "unknown_env", known: ["staging", "qa"] });
  });

  it("answers 400 unknown_service listing the known services", async () => {
    fixture.repo.tag("v1.0.0");
    const response = await runner.fetch(
      await ciRequest("/deploy", { env: "staging", tag: "v1.0.0", services: ["mysql"] }),
    );
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "unknown_service", known: ["postgres", "redis"] });
  });

  it("answers 403 service_manual for the runner's own bootstrap service", async () => {
    fixture.repo.tag("v1.0.0");
    const response = await runner.fetch(
      await ciRequest("/deploy", { env: "staging", tag: "v1.0.0", services: ["bootstrap/iac-runner"] }),
    );
    expect(response.status).toBe(403);
    expect(await json(response)).toMatchObject({ code: "service_manual" });
    expect(engine.starts).toEqual([]);
  });

  it.each([
    ["no env", { tag: "v1.0.0" }],
    ["both tag and ref", { env: "staging", tag: "v1.0.0", ref: "a".repeat(40) }],
    ["neither tag nor ref", { env: "staging" }],
    ["a number as env", { env: 1, tag: "v1.0.0" }],
    ["services as a string", { env: "staging", tag: "v1.0.0", services: "postgres" }],
    ["an unknown field", { env: "staging", tag: "v1.0.0", force: true }],
    ["an array body", [{ env: "staging" }]],
  ])("answers 400 invalid_request for %s", async (_name, body) => {
    fixture.repo.tag("v1.0.0");
    const response = await runner.fetch(await ciRequest("/deploy", body));
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "invalid_request" });
  });

  describe("signatures", () => {
    beforeEach(() => {
      fixture.repo.tag("v1.0.0");
    });

    const body = { env: "staging", tag: "v1.0.0" };

    it("answers 401 without a signature and with a wrong one", async () => {
      const unsigned = await runner.fetch(await ciRequest("/deploy", body, { unsigned: true }));
      const wrong = await runner.fetch(await ciRequest("/deploy", body, { secret: "nope" }));
      expect([unsigned.status, wrong.status]).toEqual([401, 401]);
      expect(await json(unsigned)).toMatchObject({ code: "missing_signature" });
      expect(await json(wrong)).toMatchObject({ code: "invalid_signature" });
    });

    it("accepts the timestamped signature once and refuses its replay", async () => {
      const timestamp = Math.floor(now / 1000);
      const first = await runner.fetch(
        await ciRequest("/deploy", body, { timestamped: true, timestamp, nonce: "nonce-000001" }),
      );
      const replay = await runner.fetch(
        await ciRequest("/deploy", body, { timestamped: true, timestamp, nonce: "nonce-000001" }),
      );
      expect(first.status).toBe(202);
      expect(replay.status).toBe(401);
      expect(await json(replay)).toMatchObject({ code: "replayed_request" });
      expect(engine.starts).toHaveLength(1);
    });

    it("accepts a timestamped signature computed with a plain HMAC, as with openssl", async () => {
      const text = JSON.stringify(body);
      const timestamp = String(Math.floor(now / 1000));
      const nonce = "0123456789abcdef";
      const mac = createHmac("sha256", SECRET).update(`${timestamp}.${nonce}.${text}`).digest("hex");
      const request = new Request("http://runner.test/deploy", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-iac-timestamp": timestamp,
          "x-iac-nonce": nonce,
          "x-hub-signature-256": `sha256=${mac}`,
        },
        body: text,
      });
      expect((await runner.fetch(request)).status).toBe(202);
    });

    it("refuses a stale timestamp", async () => {
      const timestamp = Math.floor(now / 1000) - 3600;
      const response = await runner.fetch(await ciRequest("/deploy", body, { timestamped: true, timestamp }));
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ code: "stale_request" });
    });

    it("uses the injected nonce store", async () => {
      const nonces = createMemoryReplayStore();
      await nonces.claim("nonce:nonce-seen-elsewhere", 60_000);
      await runner.close();
      start({ nonces });
      const response = await runner.fetch(
        await ciRequest("/deploy", body, {
          timestamped: true,
          timestamp: Math.floor(now / 1000),
          nonce: "nonce-seen-elsewhere",
        }),
      );
      expect(await json(response)).toMatchObject({ code: "replayed_request" });
    });

    it("requires the timestamped form when IAC_REQUIRE_TIMESTAMP is on", async () => {
      await runner.close();
      start({ settings: testSettings(fixture.repo.url, fixture.dataDir, { requireTimestamp: true }) });
      const plain = await runner.fetch(await ciRequest("/deploy", body));
      const timestamped = await runner.fetch(
        await ciRequest("/deploy", body, { timestamped: true, timestamp: Math.floor(now / 1000) }),
      );
      expect(plain.status).toBe(401);
      expect(await json(plain)).toMatchObject({ code: "timestamp_required" });
      expect(timestamped.status).toBe(202);
    });

    it("answers 415 for a body that is not declared as JSON", async () => {
      const request = await ciRequest("/deploy", body);
      const headers = new Headers(request.headers);
      headers.set("content-type", "application/x-www-form-urlencoded");
      const response = await runner.fetch(new Request(request, { headers }));
      expect(response.status).toBe(415);
    });

    it("answers 413 for a body over the limit before verifying anything", async () => {
      const response = await runner.fetch(await ciRequest("/deploy", { ...body, triggered_by: "x".repeat(70_000) }));
      expect(response.status).toBe(413);
    });
  });

  it("resolves concurrent deploys of different tags to their own commits and configs", async () => {
    fixture.repo.tag("v1.0.0");
    const second = fixture.repo.commit({
      "iac.config.yaml": "environments:\n  staging: {}\n  qa: {}\n",
      "platform/03.minio/compose.yaml": "v: 1\n",
    });
    fixture.repo.tag("v1.1.0");
    const [a, b] = await Promise.all([
      runner.fetch(await ciRequest("/deploy", { env: "production", tag: "v1.0.0" })),
      runner.fetch(await ciRequest("/deploy", { env: "qa", tag: "v1.1.0" })),
    ]);
    expect(await json(a)).toMatchObject({ commit: fixture.initial, services: ["postgres", "redis"] });
    expect(await json(b)).toMatchObject({ commit: second, services: ["minio", "postgres", "redis"] });
  });
});
