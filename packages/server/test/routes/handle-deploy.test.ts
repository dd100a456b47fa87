import { createHash, createHmac } from "node:crypto";
import { join } from "node:path";
import { PLAN_ERRORS, type PlanErrorCode } from "@iac/sync";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { REQUEST_MEMORY_MS } from "../../src/routes/handle-deploy.js";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import type { JobStore, Runner, RunnerOptions, SyncEngine } from "../../src/types.js";
import { cleanupTemp, makeTemp } from "../helpers/git-repo.js";
import {
  ciRequest,
  createInfraFixture,
  createLineLogger,
  createStubEngine,
  type InfraFixture,
  json,
  type LoggedLine,
  memoryStore,
  SECRET,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
} from "../helpers/runner-fixture.js";
import { finishJob } from "./store-tasks.js";

describe("POST /deploy", () => {
  let fixture: InfraFixture;
  let store: JobStore;
  let engine: StubEngine;
  let runner: Runner;
  let now: number;

  const start = async (options: Partial<RunnerOptions> = {}): Promise<void> => {
    runner = await createRunner(
      stubRunnerOptions(fixture, engine, { clock: { now: () => now, sleep: async () => undefined }, ...options }),
    );
  };

  const deploy = async (body: unknown, options: Parameters<typeof ciRequest>[2] = {}) =>
    runner.fetch(await ciRequest("/deploy", body, options));

  // One repository for the file, v1.0.0 tagged at its initial layout: each test starts with main back there, and tags
  // are unique across tests.
  beforeAll(() => {
    fixture = createInfraFixture();
    fixture.repo.tag("v1.0.0");
  });
  afterAll(() => fixture.cleanup());

  beforeEach(async () => {
    fixture.repo.git("reset", "--hard", "--quiet", fixture.initial);
    store = await memoryStore();
    engine = createStubEngine(store);
    now = 1_800_000_000_000;
    await start();
  });

  afterEach(async () => {
    await runner.close();
  });

  it("deploys every automatic service at the tag's commit for the requested environment", async () => {
    fixture.repo.tag("v1.2.4", { annotated: true });
    fixture.repo.commit({ "platform/03.minio/compose.yaml": "v: 1\n" });
    const body = { env: "production", tag: "v1.2.4", triggered_by: "github-actions" };
    const response = await deploy(body);
    expect(response.status).toBe(202);
    const [submitted] = engine.submitted;
    expect(await json(response)).toEqual({
      status: "accepted",
      env: "production",
      tag: "v1.2.4",
      commit: fixture.initial,
      services: ["postgres", "redis"],
      deployments: [submitted?.id],
    });
    expect(submitted).toMatchObject({
      env: "production",
      commit: fixture.initial,
      trigger: "deploy",
      triggeredBy: "github-actions",
      tag: "v1.2.4",
      ref: null,
      cursor: undefined,
      requestKey: {
        key: `request:${createHash("sha256").update(JSON.stringify(body)).digest("hex")}`,
        ttlMs: REQUEST_MEMORY_MS,
      },
    });
    expect(submitted?.services.map(({ service, reason }) => [service.name, reason.code])).toEqual([
      ["postgres", "all"],
      ["redis", "all"],
    ]);
    // An explicit deploy does not move the branch position of the environment.
    expect(await store.cursor("production")).toEqual({ planned: null, synced: null });
  });

  it("deploys only the listed services, in layer/name or name form", async () => {
    const response = await deploy({ env: "staging", tag: "v1.0.0", services: ["platform/redis"] });
    expect(await json(response)).toMatchObject({ services: ["redis"] });
    expect(engine.submitted[0]?.services.map(({ service }) => service.name)).toEqual(["redis"]);
  });

  it("deploys an exact 40-hex commit given as ref", async () => {
    const commit = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
    const response = await deploy({ env: "staging", ref: commit });
    expect(response.status).toBe(202);
    expect(await json(response)).toMatchObject({ ref: commit, commit });
    expect(engine.submitted[0]).toMatchObject({ ref: commit, tag: null, commit });
  });

  it("deploys an explicit older tag after a newer one (a rollback)", async () => {
    const newer = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
    fixture.repo.tag("v1.1.0");
    const first = await deploy({ env: "staging", tag: "v1.1.0" });
    expect(await json(first)).toMatchObject({ status: "accepted", commit: newer });
    await finishJob(store, engine.submitted[0]?.id ?? "", "succeeded");
    const rollback = await deploy({ env: "staging", tag: "v1.0.0" });
    expect(rollback.status).toBe(202);
    expect(await json(rollback)).toMatchObject({ status: "accepted", commit: fixture.initial });
    expect(engine.submitted.map((job) => job.commit)).toEqual([newer, fixture.initial]);
  });

  describe("the original runner's release workflows", () => {
    // The bodies exactly as its workflows build them (a heredoc in a YAML block, so two-space indented JSON without a
    // trailing newline), signed with a plain HMAC of the body as `openssl dgst -hmac` computes it.
    const stagingBody = (tag: string, commit: string): string =>
      `{\n  "env": "staging",\n  "tag": "${tag}",\n  "commit": "${commit}",\n  "triggered_by": "octocat"\n}`;
    const productionBody = (tag: string, stagingTag: string): string =>
      `{\n  "env": "production",\n  "tag": "${tag}",\n  "staging_tag": "${stagingTag}",\n  "triggered_by": "octocat"\n}`;
    const plainSigned = (body: string): Request =>
      new Request("http://runner.test/deploy", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
        },
        body,
      });

    it("deploys the staging release a push tagged, at the commit it names", async () => {
      fixture.repo.tag("v1.0.1", { annotated: true });
      const response = await runner.fetch(plainSigned(stagingBody("v1.0.1", fixture.initial)));
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({
        status: "accepted",
        env: "staging",
        tag: "v1.0.1",
        commit: fixture.initial,
      });
      expect(engine.submitted).toEqual([
        expect.objectContaining({
          env: "staging",
          commit: fixture.initial,
          tag: "v1.0.1",
          promotedFrom: null,
          triggeredBy: "octocat",
        }),
      ]);
    });

    it("deploys a production tag promoted from a staging tag at the same commit", async () => {
      const staged = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 3\n" });
      fixture.repo.tag("v1.1.1", { annotated: true });
      fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 4\n" });
      fixture.repo.tag("v1.2.0", { annotated: true, commit: "v1.1.1" });
      const response = await runner.fetch(plainSigned(productionBody("v1.2.0", "v1.1.1")));
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({
        status: "accepted",
        env: "production",
        tag: "v1.2.0",
        commit: staged,
      });
      expect(engine.submitted).toEqual([
        expect.objectContaining({
          env: "production",
          commit: staged,
          tag: "v1.2.0",
          promotedFrom: "v1.1.1",
          triggeredBy: "octocat",
        }),
      ]);
    });

    it("refuses a commit other than the tag's with 409 commit_mismatch and runs nothing", async () => {
      const other = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 5\n" });
      const response = await runner.fetch(plainSigned(stagingBody("v1.0.0", other)));
      expect(response.status).toBe(409);
      expect(await json(response)).toEqual({
        code: "commit_mismatch",
        error: `commit ${other} is not the commit the deploy resolved to, ${fixture.initial}: refusing to deploy something other than what the request names`,
        field: "commit",
        value: other,
        claimed: other,
        resolved: fixture.initial,
      });
      expect(engine.submitted).toEqual([]);
    });

    it("refuses a production tag that is not at the staging tag it promotes", async () => {
      const staged = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 6\n" });
      fixture.repo.tag("v1.3.1");
      const response = await runner.fetch(plainSigned(productionBody("v1.0.0", "v1.3.1")));
      expect(response.status).toBe(409);
      expect(await json(response)).toMatchObject({
        code: "commit_mismatch",
        field: "staging_tag",
        value: "v1.3.1",
        claimed: staged,
        resolved: fixture.initial,
      });
      expect(engine.submitted).toEqual([]);
    });

    it.each([
      [
        "a staging tag the repository does not have",
        { staging_tag: "v0.0.9" },
        404,
        "tag_not_found",
        'staging_tag: tag "v0.0.9" does not exist in the repository',
      ],
      [
        "an option-like staging tag",
        { staging_tag: "-x" },
        400,
        "invalid_tag",
        'staging_tag: invalid tag "-x": it starts with "-"',
      ],
      [
        "an abbreviated commit",
        { commit: "abc1234" },
        400,
        "invalid_ref",
        'invalid commit "abc1234": expected the 40-hex SHA of the commit to deploy',
      ],
    ])("refuses %s", async (_name, fields, status, code, error) => {
      const response = await deploy({ env: "production", tag: "v1.0.0", ...fields });
      expect(response.status).toBe(status);
      expect(await json(response)).toMatchObject({ code, error });
      expect(engine.submitted).toEqual([]);
    });

    it("deploys to staging when the body has no env, as the original runner did", async () => {
      const response = await deploy({ tag: "v1.0.0" });
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({ env: "staging", commit: fixture.initial });
      expect(engine.submitted).toEqual([expect.objectContaining({ env: "staging" })]);
    });

    it("logs the claimed commit and staging tag with the deploy it planned", async () => {
      const lines: LoggedLine[] = [];
      await runner.close();
      await start({ logger: createLineLogger(lines) });
      fixture.repo.tag("v1.4.0", { commit: "v1.0.0" });
      await deploy({ env: "production", tag: "v1.4.0", staging_tag: "v1.0.0", commit: fixture.initial });
      expect(lines.filter((line) => line.msg === "deploy planned")).toEqual([
        expect.objectContaining({
          env: "production",
          tag: "v1.4.0",
          claimedCommit: fixture.initial,
          stagingTag: "v1.0.0",
          commit: fixture.initial,
        }),
      ]);
    });
  });

  describe("plan errors answer with the status PLAN_ERRORS gives their code", () => {
    const cases: [string, PlanErrorCode, number, () => unknown, Record<string, unknown>][] = [
      [
        "an environment the commit does not configure",
        "unknown_env",
        400,
        () => {
          fixture.repo.commit({ "iac.config.yaml": "environments:\n  staging: {}\n  qa: {}\n" });
          fixture.repo.tag("v2.0.0");
          return { env: "production", tag: "v2.0.0" };
        },
        { known: ["staging", "qa"] },
      ],
      [
        "a service the commit does not have",
        "unknown_service",
        400,
        () => ({ env: "staging", tag: "v1.0.0", services: ["mysql"] }),
        { known: ["postgres", "redis"] },
      ],
      [
        "the runner's own bootstrap service",
        "service_manual",
        403,
        () => ({ env: "staging", tag: "v1.0.0", services: ["bootstrap/iac-runner"] }),
        { service: "iac-runner", layer: "bootstrap" },
      ],
      [
        "a tag whose iac.config.yaml is invalid",
        "config_invalid",
        422,
        () => {
          fixture.repo.commit({ "iac.config.yaml": "layers:\n  platform: sometimes\n" });
          fixture.repo.tag("v3.0.0");
          return { env: "staging", tag: "v3.0.0" };
        },
        { error: expect.stringContaining("layers.platform") },
      ],
      ["a tag the repository does not have", "tag_not_found", 404, () => ({ env: "staging", tag: "v9.9.9" }), {}],
      [
        "an unknown commit",
        "commit_not_found",
        404,
        () => ({ env: "staging", ref: "0123456789abcdef0123456789abcdef01234567" }),
        {},
      ],
      ["an option-like tag", "invalid_tag", 400, () => ({ env: "staging", tag: "--upload-pack=touch /tmp/x" }), {}],
      ["an abbreviated SHA as ref", "invalid_ref", 400, () => ({ env: "staging", ref: "abc1234" }), {}],
      [
        "a commit other than the tag's",
        "commit_mismatch",
        409,
        () => ({ env: "staging", tag: "v1.0.0", commit: "f".repeat(40) }),
        { field: "commit", claimed: "f".repeat(40) },
      ],
    ];

    it.each(cases)("%s: %s", async (_name, code, status, request, details) => {
      const response = await deploy(request());
      expect(response.status).toBe(status);
      expect(response.status).toBe(PLAN_ERRORS[code].status);
      expect(await json(response)).toMatchObject({ code, ...details });
      expect(engine.submitted).toEqual([]);
    });
  });

  it.each([
    ["an option-like tag", "--upload-pack=touch /tmp/pwned"],
    ["a tag starting with a dash", "-v1"],
    ["a range", "v1..v2"],
    ["a tag with a control character", "v1\n"],
    ["a revision expression", "v1^{tree}"],
    ["a full ref", "refs/heads/main"],
  ])("answers 400 invalid_tag for %s", async (_name, tag) => {
    const response = await deploy({ env: "staging", tag });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "invalid_tag" });
    expect(engine.submitted).toEqual([]);
  });

  it.each([
    ["a branch name", "main", 400, "invalid_ref"],
    ["an abbreviated SHA", "abc1234", 400, "invalid_ref"],
    ["an unknown commit", "0123456789abcdef0123456789abcdef01234567", 404, "commit_not_found"],
  ])("refuses %s as ref", async (_name, ref, status, code) => {
    const response = await deploy({ env: "staging", ref });
    expect(response.status).toBe(status);
    expect(await json(response)).toMatchObject({ code });
  });

  it("lists the known services when one is unknown", async () => {
    const response = await deploy({ env: "staging", tag: "v1.0.0", services: ["mysql"] });
    expect(await json(response)).toEqual({
      code: "unknown_service",
      error: 'unknown service "mysql": expected one of postgres, redis',
      known: ["postgres", "redis"],
    });
  });

  it.each([
    [
      "both tag and ref",
      { env: "staging", tag: "v1.0.0", ref: "a".repeat(40) },
      "exactly one of tag or ref is required",
    ],
    ["neither tag nor ref", { env: "staging" }, "exactly one of tag or ref is required"],
    ["a number as env", { env: 1, tag: "v1.0.0" }, "env must be a non-empty string"],
    [
      "services as a string",
      { env: "staging", tag: "v1.0.0", services: "postgres" },
      'services must be a non-empty array of service names, e.g. ["postgres"]',
    ],
    [
      "an unknown field",
      { env: "staging", tag: "v1.0.0", force: true },
      'unknown field "force": expected only env, tag, ref, triggered_by, services, wait, commit, staging_tag',
    ],
    [
      "a legacy field of another endpoint",
      { env: "staging", tag: "v1.0.0", all: true },
      'unknown field "all": expected only env, tag, ref, triggered_by, services, wait, commit, staging_tag',
    ],
    ["a number as commit", { env: "staging", tag: "v1.0.0", commit: 1 }, "commit must be a non-empty string"],
    [
      "an empty staging_tag",
      { env: "production", tag: "v1.0.0", staging_tag: "" },
      "staging_tag must be a non-empty string",
    ],
    ["an array body", [{ env: "staging" }], "request body must be a JSON object"],
    ["a number body", 5, "request body must be a JSON object"],
    ["a string body", JSON.stringify("staging"), "request body must be a JSON object"],
    ["wait as a string", { env: "staging", tag: "v1.0.0", wait: "yes" }, "wait must be true or false"],
    ["wait as a number", { env: "staging", tag: "v1.0.0", wait: 1 }, "wait must be true or false"],
  ])("answers 400 invalid_request for %s", async (_name, body, error) => {
    const response = await deploy(body);
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({ code: "invalid_request", error });
    expect(engine.submitted).toEqual([]);
  });

  it("answers 200 no_changes when the commit has no automatic service", async () => {
    const commit = fixture.repo.commit({ "iac.config.yaml": "layers:\n  platform: manual\n" });
    fixture.repo.tag("v0.9.0-manual");
    const response = await deploy({ env: "staging", tag: "v0.9.0-manual" });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      status: "no_changes",
      env: "staging",
      tag: "v0.9.0-manual",
      commit,
      services: [],
      deployments: [],
    });
    expect(engine.submitted).toEqual([]);
  });

  it("logs the deploy it planned and an identical request it answered, with the request and its target", async () => {
    const lines: LoggedLine[] = [];
    await runner.close();
    await start({ logger: createLineLogger(lines) });
    const body = { env: "staging", tag: "v1.0.0", triggered_by: "ci-logged" };
    await deploy(body);
    await deploy(body);
    const [job] = engine.submitted;
    const bound = { delivery: job?.delivery, env: "staging", tag: "v1.0.0" };
    expect(lines.filter((line) => line.msg === "deploy planned")).toEqual([
      expect.objectContaining({
        ...bound,
        level: "info",
        commit: fixture.initial,
        services: ["postgres", "redis"],
        deployment: job?.id,
        triggeredBy: "ci-logged",
      }),
    ]);
    // A request that claims nothing logs no claims.
    expect(lines.filter((line) => "claimedCommit" in line || "stagingTag" in line)).toEqual([]);
    expect(lines.filter((line) => line.msg === "identical request answered with its earlier job")).toEqual([
      expect.objectContaining({ level: "info", env: "staging", tag: "v1.0.0", deployment: job?.id }),
    ]);
  });

  it.each<[string, Awaited<ReturnType<SyncEngine["submit"]>>]>([
    ["cursor_moved", { status: "cursor_moved", planned: null }],
    ["lane_moved", { status: "lane_moved", service: "postgres", newest: null }],
  ])("answers 500 and logs why when the engine answers a /deploy job %s (it sets neither)", async (status, answer) => {
    const lines: LoggedLine[] = [];
    const moving: SyncEngine = { ...engine, submit: async () => answer };
    await runner.close();
    runner = await createRunner(
      stubRunnerOptions(fixture, engine, { engine: moving, logger: createLineLogger(lines) }),
    );
    const response = await deploy({ env: "staging", tag: "v1.0.0" });
    expect(response.status).toBe(500);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: "unhandled error",
        err: expect.objectContaining({
          message: `[@iac/server] unexpected answer of the job store to a new job: ${status}`,
        }),
      }),
    );
  });

  describe("identical requests", () => {
    const body = { env: "staging", tag: "v1.0.0", triggered_by: "ci-run-1" };

    it("answers a plain-signed request identical to an earlier one with 200 duplicate and submits nothing", async () => {
      const first = await deploy(body);
      expect(first.status).toBe(202);
      const [job] = engine.submitted;
      // Even once the earlier job ended, a captured request cannot roll the environment back to its tag.
      await finishJob(store, job?.id ?? "", "succeeded");
      now += 7 * 24 * 60 * 60 * 1000;
      const again = await deploy(body);
      expect(again.status).toBe(200);
      expect(await json(again)).toEqual({
        status: "duplicate",
        env: "staging",
        tag: "v1.0.0",
        commit: fixture.initial,
        deployments: [job?.id],
      });
      expect(engine.submitted).toHaveLength(1);
    });

    it("runs a request whose body differs (another triggered_by) as a new job", async () => {
      await deploy(body);
      await finishJob(store, engine.submitted[0]?.id ?? "", "succeeded");
      const other = await deploy({ ...body, triggered_by: "ci-run-2" });
      expect(other.status).toBe(202);
      const answer = await json(other);
      expect(answer).toMatchObject({ status: "accepted", commit: fixture.initial });
      expect(engine.submitted).toHaveLength(2);
      expect(answer.deployments).toEqual([engine.submitted[1]?.id]);
      expect(engine.submitted[1]?.id).not.toBe(engine.submitted[0]?.id);
    });

    it("runs a timestamped request again under a fresh nonce: those are single-use by nonce, not by body", async () => {
      const timestamp = Math.floor(now / 1000);
      const first = await deploy(body, { timestamped: true, timestamp, nonce: "nonce-000001" });
      expect(first.status).toBe(202);
      expect(engine.submitted[0]?.requestKey).toBeUndefined();
      await finishJob(store, engine.submitted[0]?.id ?? "", "succeeded");
      const second = await deploy(body, { timestamped: true, timestamp, nonce: "nonce-000002" });
      expect(second.status).toBe(202);
      expect(engine.submitted).toHaveLength(2);
    });

    it("remembers plain-signed requests and nonces across a restart over the same SQLite file", async () => {
      await runner.close();
      const dir = makeTemp("iac-store-");
      const path = join(dir, "jobs.db");
      const timestamp = Math.floor(now / 1000);
      let fileStore = await createSqliteStore({ path });
      try {
        engine = createStubEngine(fileStore);
        await start();
        const plain = await deploy(body);
        const [job] = engine.submitted;
        await finishJob(fileStore, job?.id ?? "", "succeeded");
        const timestamped = await deploy(
          { ...body, triggered_by: "ci-run-ts" },
          {
            timestamped: true,
            timestamp,
            nonce: "nonce-restart",
          },
        );
        expect([plain.status, timestamped.status]).toEqual([202, 202]);
        await finishJob(fileStore, engine.submitted[1]?.id ?? "", "succeeded");
        await runner.close();
        await fileStore.close();

        fileStore = await createSqliteStore({ path });
        engine = createStubEngine(fileStore);
        await start();
        const again = await deploy(body);
        expect(again.status).toBe(200);
        expect(await json(again)).toMatchObject({ status: "duplicate", deployments: [job?.id] });
        const replayed = await deploy(
          { ...body, triggered_by: "ci-run-ts" },
          {
            timestamped: true,
            timestamp,
            nonce: "nonce-restart",
          },
        );
        expect(replayed.status).toBe(401);
        expect(await json(replayed)).toMatchObject({ code: "replayed_request" });
        expect(engine.submitted).toEqual([]);
      } finally {
        await runner.close();
        await fileStore.close();
        cleanupTemp(dir);
      }
    });
  });

  describe("signatures", () => {
    const body = { env: "staging", tag: "v1.0.0" };

    it("answers 401 without a signature and with a wrong one", async () => {
      const unsigned = await deploy(body, { unsigned: true });
      const wrong = await deploy(body, { secret: "nope" });
      expect([unsigned.status, wrong.status]).toEqual([401, 401]);
      expect(await json(unsigned)).toMatchObject({ code: "missing_signature" });
      expect(await json(wrong)).toMatchObject({ code: "invalid_signature" });
      expect(engine.submitted).toEqual([]);
    });

    it("accepts the timestamped signature once and refuses its replay with 401 replayed_request", async () => {
      const timestamp = Math.floor(now / 1000);
      const first = await deploy(body, { timestamped: true, timestamp, nonce: "nonce-000001" });
      const replay = await deploy(body, { timestamped: true, timestamp, nonce: "nonce-000001" });
      expect(first.status).toBe(202);
      expect(replay.status).toBe(401);
      expect(await json(replay)).toMatchObject({ code: "replayed_request" });
      expect(engine.submitted).toHaveLength(1);
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
      const response = await deploy(body, { timestamped: true, timestamp });
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ code: "stale_request" });
    });

    it("keeps nonces in the job store, so one recorded by another runner is refused", async () => {
      expect(await store.claimKey("nonce:nonce-seen-elsewhere", 60_000, now)).toBe(true);
      const response = await deploy(body, {
        timestamped: true,
        timestamp: Math.floor(now / 1000),
        nonce: "nonce-seen-elsewhere",
      });
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ code: "replayed_request" });
      expect(await store.claimKey("nonce:nonce-fresh", 60_000, now)).toBe(true);
    });

    it("requires the timestamped form when IAC_REQUIRE_TIMESTAMP is on", async () => {
      await runner.close();
      await start({ settings: testSettings(fixture.repo.url, fixture.dataDir, { requireTimestamp: true }) });
      const plain = await deploy(body);
      const timestamped = await deploy(body, { timestamped: true, timestamp: Math.floor(now / 1000) });
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
      expect(await json(response)).toEqual({
        code: "unsupported_media_type",
        error: 'unsupported content type "application/x-www-form-urlencoded": expected application/json',
      });
    });

    it("answers 413 for a body over the limit before verifying anything", async () => {
      const response = await deploy({ ...body, triggered_by: "x".repeat(70_000) });
      expect(response.status).toBe(413);
    });
  });

  it("resolves concurrent deploys of different tags to their own commits and configs", async () => {
    const second = fixture.repo.commit({
      "iac.config.yaml": "environments:\n  staging: {}\n  qa: {}\n",
      "platform/03.minio/compose.yaml": "v: 1\n",
    });
    fixture.repo.tag("v1.5.0");
    const [a, b] = await Promise.all([
      deploy({ env: "production", tag: "v1.0.0" }),
      deploy({ env: "qa", tag: "v1.5.0" }),
    ]);
    expect(await json(a)).toMatchObject({ commit: fixture.initial, services: ["postgres", "redis"] });
    expect(await json(b)).toMatchObject({ commit: second, services: ["minio", "postgres", "redis"] });
  });
});
