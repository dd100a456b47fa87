import { createFakeClock } from "@iac/sdk/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { createNodeServer } from "../../src/node-server.js";
import type { JobStore, Runner, SyncClock, SyncJob } from "../../src/types.js";
import {
  ciRequest,
  createInfraFixture,
  createStubEngine,
  examplePayload,
  memoryStore,
  pushPayload,
  stubRunnerOptions,
  testSettings,
  webhookRequest,
} from "../helpers/runner-fixture.js";
import { serveFakeDokploy } from "../helpers/serve-fake.js";
import { parseExposition, rowsOf, type Sample, samplesOf, sampleValue } from "../metrics/parse-exposition.js";

const TOKEN = "metrics-token-0123456789";
const POSTGRES = "platform/01.postgres/compose.yaml";

async function stubRunner(apiToken: string | undefined, store?: JobStore): Promise<Runner> {
  const fixture = createInfraFixture();
  onTestFinished(() => fixture.cleanup());
  const engine = createStubEngine(store ?? (await memoryStore()));
  const runner = await createRunner({
    ...stubRunnerOptions(fixture, engine),
    settings: testSettings(fixture.repo.url, fixture.dataDir, { apiToken }),
    logger: false,
  });
  onTestFinished(() => runner.close());
  return runner;
}

const scrape = (runner: Runner, init: RequestInit = {}) =>
  runner.fetch(new Request("http://runner.test/metrics", { headers: { authorization: `Bearer ${TOKEN}` }, ...init }));

async function samples(runner: Runner): Promise<Sample[]> {
  const response = await scrape(runner);
  expect(response.status).toBe(200);
  return parseExposition(await response.text());
}

describe("GET /metrics", () => {
  it("does not exist without IAC_API_TOKEN", async () => {
    const runner = await stubRunner(undefined);
    const response = await scrape(runner);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: "not_found" });
  });

  it("needs the bearer token: 401 without it or with a wrong one", async () => {
    const runner = await stubRunner(TOKEN);
    for (const headers of [{}, { authorization: "Bearer not-the-token-at-all" }, { authorization: TOKEN }]) {
      const response = await runner.fetch(new Request("http://runner.test/metrics", { headers }));
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toBe('Bearer realm="iac-runner"');
      expect(await response.json()).toMatchObject({ code: "unauthorized" });
    }
    const post = await scrape(runner, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers the Prometheus text format, and HEAD with its headers only", async () => {
    const runner = await stubRunner(TOKEN);
    const response = await scrape(runner);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).toContain("# TYPE iac_runner_jobs gauge\n");
    expect(sampleValue(parseExposition(text), "iac_runner_queue_depth")).toBe(0);
    const head = await scrape(runner, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(await head.text()).toBe("");
  });

  it("answers 503 store_unavailable when the store cannot be counted, never made-up values", async () => {
    const store = await memoryStore();
    const runner = await stubRunner(TOKEN, { ...store, countQueuedTasks: () => Promise.reject(new Error("disk I/O")) });
    const response = await scrape(runner);
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("10");
    expect(await response.json()).toMatchObject({ code: "store_unavailable" });
  });

  it("keeps two runners in one process apart: each counts only its own deliveries", async () => {
    const first = await stubRunner(TOKEN);
    const second = await stubRunner(TOKEN);
    expect((await first.fetch(await webhookRequest(examplePayload("ping"), { event: "ping" }))).status).toBe(200);
    const pong = { event: "ping", outcome: "pong" };
    expect(sampleValue(await samples(first), "iac_runner_webhook_deliveries_total", pong)).toBe(1);
    expect(samplesOf(await samples(second), "iac_runner_webhook_deliveries_total")).toEqual([]);
  });
});

describe("GET /metrics over real deliveries and syncs, the fake Dokploy and the runner on loopback", () => {
  it("counts what the runner answered and synced, and reads the store, the health checks and the catch-up lag", async () => {
    const fakeClock = createFakeClock();
    const served = await serveFakeDokploy({ deploy: { mode: "auto" }, clock: fakeClock });
    onTestFinished(() => served.close());
    // Engine sleeps (deploy polling) advance fake time; the lag is measured in it too.
    const clock: SyncClock = {
      now: fakeClock.now,
      sleep: (ms) => {
        fakeClock.advance(ms);
        return new Promise((resolve) => setTimeout(resolve, 2));
      },
    };
    const fixture = createInfraFixture();
    onTestFinished(() => fixture.cleanup());
    const { dokploy } = served;
    const runner = await createRunner({
      settings: testSettings(fixture.repo.url, fixture.dataDir, {
        apiToken: TOKEN,
        dokploy: { baseUrl: dokploy.baseUrl, apiKey: dokploy.apiKey, retry: false },
      }),
      git: fixture.mirror,
      clock,
      logger: false,
      healthChecks: { dokploy: async () => undefined },
      healthIntervalMs: 0,
      catchUp: false,
      timing: { claimIntervalMs: 20, retryBaseMs: 1 },
    });
    const node = createNodeServer(runner);
    onTestFinished(() => node.close());
    const address = await node.listen(0, "127.0.0.1");
    const origin = `http://127.0.0.1:${address.port}`;
    // Every request sent here is a POST with a body.
    const send = async (request: Request): Promise<Response> => {
      return fetch(`${origin}${new URL(request.url).pathname}`, {
        method: request.method,
        headers: request.headers,
        body: await request.arrayBuffer(),
      });
    };
    const read = async (): Promise<Sample[]> => {
      const response = await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      return parseExposition(await response.text());
    };
    const ended = async (response: Response): Promise<SyncJob> => {
      const [id] = ((await response.json()) as { deployments: string[] }).deployments;
      let job: SyncJob | undefined;
      await expect
        .poll(async () => {
          job = await runner.engine.get(id ?? "");
          return job?.state;
        })
        .toMatch(/^(succeeded|failed)$/);
      return job as SyncJob;
    };

    expect((await send(await webhookRequest(examplePayload("ping"), { event: "ping" }))).status).toBe(200);
    expect((await send(await webhookRequest({}, { event: "issues" }))).status).toBe(202);
    expect((await send(await webhookRequest({}, { signature: "sha256=00" }))).status).toBe(401);
    const elsewhere = pushPayload({ ref: "refs/heads/feature", before: fixture.initial, after: fixture.initial });
    expect((await send(await webhookRequest(elsewhere))).status).toBe(202);
    // A push that changes postgres: created in Dokploy; its redelivery is a duplicate.
    const changed = fixture.repo.commit({ [POSTGRES]: "services:\n  app:\n    image: postgres:17\n" });
    const push = pushPayload({ before: fixture.initial, after: changed, files: { modified: [POSTGRES] } });
    const accepted = await send(await webhookRequest(push, { delivery: "delivery-1" }));
    expect(accepted.status).toBe(202);
    expect(await ended(accepted)).toMatchObject({ state: "succeeded" });
    expect((await send(await webhookRequest(push, { delivery: "delivery-1" }))).status).toBe(200);
    // A push that touches no service, then a /sync of postgres that finds its hash unchanged (a deploy avoided).
    const readme = fixture.repo.commit({ "README.md": "# infra, again\n" });
    const quiet = await send(await webhookRequest(pushPayload({ before: changed, after: readme })));
    expect(await quiet.json()).toMatchObject({ status: "no_changes" });
    const sync = await send(await ciRequest("/sync", { services: ["postgres"] }));
    expect(await ended(sync)).toMatchObject({ services: [{ result: { status: "skipped" } }] });
    const stale = await send(await ciRequest("/deploy", { tag: "v1.0.0" }, { timestamped: true, timestamp: 1 }));
    expect(stale.status).toBe(401);

    await expect
      .poll(async () => sampleValue(await read(), "iac_runner_dependency_up", { dependency: "dokploy" }))
      .toBe(1);
    const scraped = await read();
    expect(rowsOf(scraped, "iac_runner_webhook_deliveries_total", ["event", "outcome"])).toEqual([
      ["ping", "pong", 1],
      ["other", "ignored", 1],
      ["push", "invalid_signature", 1],
      ["push", "ignored", 1],
      ["push", "accepted", 1],
      ["push", "duplicate", 1],
      ["push", "no_changes", 1],
    ]);
    expect(rowsOf(scraped, "iac_runner_signature_failures_total", ["endpoint", "code"])).toEqual([
      ["webhook", "invalid_signature", 1],
      ["ci", "stale_request", 1],
    ]);
    expect(sampleValue(scraped, "iac_runner_syncs_total", { service: "postgres", status: "created" })).toBe(1);
    expect(sampleValue(scraped, "iac_runner_syncs_total", { service: "postgres", status: "skipped" })).toBe(1);
    expect(sampleValue(scraped, "iac_runner_sync_duration_seconds_count", { service: "postgres" })).toBe(2);
    expect(sampleValue(scraped, "iac_runner_jobs", { state: "succeeded" })).toBe(2);
    expect(sampleValue(scraped, "iac_runner_jobs", { state: "queued" })).toBe(0);
    expect(sampleValue(scraped, "iac_runner_queue_depth")).toBe(0);
    expect(sampleValue(scraped, "iac_runner_catch_up_lag_seconds")).toBe(0);

    // A push whose deploy fails leaves the branch tip unsynced: the lag grows with the runner's clock.
    dokploy.configureDeploys({ mode: "auto", outcome: "error" });
    const broken = fixture.repo.commit({ [POSTGRES]: "services:\n  app:\n    image: postgres:18\n" });
    const failing = await send(
      await webhookRequest(pushPayload({ before: readme, after: broken, files: { modified: [POSTGRES] } })),
    );
    expect(await ended(failing)).toMatchObject({ state: "failed" });
    const before = sampleValue(await read(), "iac_runner_catch_up_lag_seconds") ?? Number.NaN;
    fakeClock.advance(60_000);
    const after = await read();
    expect((sampleValue(after, "iac_runner_catch_up_lag_seconds") ?? 0) - before).toBeCloseTo(60, 6);
    expect(sampleValue(after, "iac_runner_syncs_total", { service: "postgres", status: "failed" })).toBe(1);
    expect(sampleValue(after, "iac_runner_jobs", { state: "failed" })).toBe(1);
  });
});
