// The pipeline from a signed webhook to a recorded deploy, end to end on loopback: a 200-service repository (real
// git, temp dir), the runner (createRunner + createNodeServer) and the SDK's fake Dokploy served over HTTP, whose
// deploys take about 60 ms. It measures what an operator waits for, against the targets of the pipeline:
//
// - back-to-back pushes to different services (creates, then updates): webhook sent → `compose.deploy` received;
// - a deploy Dokploy finished → the runner recorded the service's result in its store;
// - a burst of pushes for one service: how many deploys it costs, and whether the last commit is live.
//
// The latency targets are on the median (p50); p95 is shown for information. Each latency is also given as a ratio to
// a baseline measured in the same run under the same load: one bare round trip to the runner (`GET /health`), timed
// right after each push was answered. Run with `npm run bench` in packages/server; exits non-zero when a target is
// missed.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { createFakeDokploy, type FakeDokploy } from "@iac/sdk/testing";
import { sign } from "@iac/sync";
import { http } from "msw";
import { createRunner } from "../src/create-runner.js";
import { createNodeServer } from "../src/node-server.js";
import { defineSettings } from "../src/settings.js";
import { createSqliteStore } from "../src/store/create-sqlite-store.js";
import type { JobStore, RunnerSettings } from "../src/types.js";
import { createTestRepo, type TestRepo } from "../test/helpers/git-repo.js";
import { serveHandlers } from "../test/helpers/serve-handlers.js";

const execFileAsync = promisify(execFile);
const IDENTITY = {
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
};

const SERVICES = 200;
const PUSHED = 40;
const BURST = 20;
const SECRET = "bench-webhook-secret";
/** The fake's worker steps this often; a deploy is picked up at the next step and ends 6 steps later. */
const STEP_MS = 10;
const DEPLOY_STEPS = 6;

/** Latency targets are medians (p50). */
const TARGETS = { toDeployP50Ms: 250, toRecordP50Ms: 1_000, burstDeploys: 2 };

interface Timeline {
  /** compose name → times `compose.deploy` was received. */
  deployCalls: Map<string, number[]>;
  /** compose name → times a deploy of it ended `done` in the fake. */
  deploysDone: Map<string, number[]>;
  /** service → times the runner recorded a result. */
  recorded: Map<string, number[]>;
}

function push(map: Map<string, number[]>, key: string, at: number): void {
  map.set(key, [...(map.get(key) ?? []), at]);
}

function composeFile(name: string, version: number): string {
  return `services:\n  ${name}:\n    image: nginx:1.${version}\n`;
}

const serviceName = (index: number): string => `svc${String(index).padStart(3, "0")}`;
const servicePath = (index: number): string => `platform/${String(index).padStart(3, "0")}.${serviceName(index)}`;

/** Steps the fake's deploy worker on a timer, noting when each deploy ends. */
function driveDeploys(fake: FakeDokploy, timeline: Timeline): () => void {
  const noted = new Set<string>();
  const timer = setInterval(() => {
    fake.advance();
    for (const call of fake.state.deployCalls) {
      if (call.status === "done" && call.deploymentId !== null && !noted.has(call.deploymentId)) {
        noted.add(call.deploymentId);
        push(timeline.deploysDone, fake.state.composes.get(call.composeId)?.name ?? "?", performance.now());
      }
    }
  }, STEP_MS);
  return () => clearInterval(timer);
}

/** A store that notes when each service's result is recorded. */
function timedStore(store: JobStore, timeline: Timeline): JobStore {
  return {
    ...store,
    async completeTask(jobId, service, runnerId, state, result, now) {
      const stored = await store.completeTask(jobId, service, runnerId, state, result, now);
      push(timeline.recorded, service, performance.now());
      return stored;
    },
  };
}

function settings(repo: TestRepo, dataDir: string, dokployUrl: string): RunnerSettings {
  return defineSettings({
    webhookSecret: SECRET,
    git: { url: repo.url },
    dokploy: { url: dokployUrl, apiKey: "test-dokploy-key" },
    dataDir,
    logLevel: "silent",
    deployTimeoutSeconds: 60,
  });
}

/** Sends a signed push delivery for `before..after` touching `files`; resolves when the runner answered. */
async function sendPush(url: string, before: string, after: string, files: string[]): Promise<void> {
  const body = JSON.stringify({
    ref: "refs/heads/main",
    before,
    after,
    created: false,
    deleted: false,
    forced: false,
    commits: [{ id: after, added: [], modified: files, removed: [] }],
  });
  const response = await fetch(`${url}/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": await sign(SECRET, body),
    },
    body,
  });
  if (!response.ok) {
    throw new Error(`webhook: expected a 2xx answer, received ${response.status}: ${await response.text()}`);
  }
}

/** One bare round trip to the runner, in ms: the baseline, timed under the load the pushes make. */
async function roundTrip(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/health`);
  await response.arrayBuffer();
  return performance.now() - started;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const rssMb = (): number => process.memoryUsage.rss() / 1024 / 1024;

async function waitUntil(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function run(): Promise<void> {
  const timeline: Timeline = { deployCalls: new Map(), deploysDone: new Map(), recorded: new Map() };
  const repo = createTestRepo();
  const dataDir = mkdtempSync(join(tmpdir(), "iac-bench-pipeline-"));
  const served = await serveHandlers(
    (baseUrl) => createFakeDokploy({ baseUrl, deploy: { mode: "manual", afterPolls: DEPLOY_STEPS } }),
    (fake) => [
      // Answers nothing, so the fake's own handler answers after it.
      http.post("*/api/compose.deploy", async ({ request }) => {
        const { composeId } = (await request.clone().json()) as { composeId: string };
        push(timeline.deployCalls, fake.state.composes.get(composeId)?.name ?? "?", performance.now());
      }),
      ...fake.handlers,
    ],
  );
  const stopDriving = driveDeploys(served.fake, timeline);
  const store = await createSqliteStore({ path: join(dataDir, "bench.db") });
  let loadedRss = 0;
  const sampler = setInterval(() => {
    loadedRss = Math.max(loadedRss, rssMb());
  }, 100);
  try {
    const files = Object.fromEntries(
      Array.from({ length: SERVICES }, (_, index) => [
        `${servicePath(index)}/compose.yaml`,
        composeFile(serviceName(index), 0),
      ]),
    );
    let head = repo.commit(files, "200 services");
    const burstService = PUSHED;
    // The runner plans a push up to the branch tip, so each change is committed just before its push (without
    // blocking the event loop the runner shares).
    const change = async (index: number, version: number) => {
      const file = `${servicePath(index)}/compose.yaml`;
      await writeFile(join(repo.dir, file), composeFile(serviceName(index), version));
      await execFileAsync("git", ["commit", "--quiet", "-am", `${serviceName(index)} ${version}`], {
        cwd: repo.dir,
        env: { ...process.env, ...IDENTITY },
      });
      const before = head;
      head = (await execFileAsync("git", ["rev-parse", "HEAD"], { cwd: repo.dir })).stdout.trim();
      return { service: serviceName(index), file, before, after: head };
    };

    const runner = await createRunner({
      settings: settings(repo, dataDir, served.fake.baseUrl),
      store: timedStore(store, timeline),
      healthChecks: {},
      catchUp: false,
    });
    const node = createNodeServer(runner);
    const address = await node.listen(0, "127.0.0.1");
    const url = `http://127.0.0.1:${address.port}`;
    const idleRss = rssMb();

    const toDeploy: number[][] = [[], []];
    const baseline: number[] = [];
    for (let round = 1; round <= 2; round += 1) {
      for (let index = 0; index < PUSHED; index += 1) {
        const item = await change(index, round);
        const callsBefore = timeline.deployCalls.get(item.service)?.length ?? 0;
        const sent = performance.now();
        await sendPush(url, item.before, item.after, [item.file]);
        baseline.push(await roundTrip(url));
        void waitUntil(() => (timeline.deployCalls.get(item.service)?.length ?? 0) > callsBefore, item.service).then(
          () => toDeploy[round - 1]?.push((timeline.deployCalls.get(item.service)?.[callsBefore] ?? sent) - sent),
        );
      }
    }
    const recordedCount = (): number => [...timeline.recorded.values()].reduce((sum, list) => sum + list.length, 0);
    await waitUntil(() => recordedCount() >= 2 * PUSHED, "every push to be recorded");

    // A burst: pushes land faster than one sync takes, so their deliveries arrive together.
    const burstPushes = [];
    for (let version = 1; version <= BURST; version += 1) {
      burstPushes.push(await change(burstService, version));
    }
    await Promise.all(burstPushes.map((item) => sendPush(url, item.before, item.after, [item.file])));
    const burst = serviceName(burstService);
    await runner.engine.idle();
    await node.close();

    const toRecord: number[] = [];
    for (const [service, done] of timeline.deploysDone) {
      const recorded = timeline.recorded.get(service) ?? [];
      for (const at of done) {
        const next = recorded.find((time) => time >= at);
        if (next !== undefined) {
          toRecord.push(next - at);
        }
      }
    }
    const burstDeploys = timeline.deployCalls.get(burst)?.length ?? 0;
    const live = [...served.fake.state.composes.values()].find((compose) => compose.name === burst)?.composeFile ?? "";
    const lastLive = live.includes(`nginx:1.${BURST}`);

    const [creates = [], updates = []] = toDeploy;
    const base = percentile(baseline, 50);
    /** p50 / p95, then the p50 as a multiple of the baseline's p50. */
    const latency = (values: readonly number[]): [string, string] => [
      `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`,
      `${(percentile(values, 50) / base).toFixed(0)}×`,
    ];
    const rows = [
      [
        "baseline: GET /health round trip, same run (p50 / p95)",
        `${base.toFixed(1)} ms / ${percentile(baseline, 95).toFixed(1)} ms`,
        "1×",
        "reported",
        true,
      ],
      [
        "webhook → compose.deploy, creates (p50 / p95)",
        ...latency(creates),
        `p50 < ${TARGETS.toDeployP50Ms} ms`,
        percentile(creates, 50) < TARGETS.toDeployP50Ms,
      ],
      [
        "webhook → compose.deploy, updates (p50 / p95)",
        ...latency(updates),
        `p50 < ${TARGETS.toDeployP50Ms} ms`,
        percentile(updates, 50) < TARGETS.toDeployP50Ms,
      ],
      [
        "deploy done → recorded (p50 / p95)",
        ...latency(toRecord),
        `p50 < ${TARGETS.toRecordP50Ms} ms`,
        percentile(toRecord, 50) < TARGETS.toRecordP50Ms,
      ],
      [
        `burst of ${BURST} pushes to one service: deploys`,
        String(burstDeploys),
        "",
        `<= ${TARGETS.burstDeploys}`,
        burstDeploys <= TARGETS.burstDeploys && burstDeploys >= 1,
      ],
      ["burst: last commit live", lastLive ? "yes" : "no", "", "yes", lastLive],
      [
        "RSS idle / loaded (runner, fake Dokploy and bench in one process)",
        `${idleRss.toFixed(0)} MB / ${loadedRss.toFixed(0)} MB`,
        "",
        "reported",
        true,
      ],
    ] as const;
    const missed = rows.filter((row) => !row[4]);
    const table = [
      "| Measure | Result | p50 / baseline p50 | Target | |",
      "| --- | --- | --- | --- | --- |",
      ...rows.map(
        ([name, result, ratio, target, ok]) =>
          `| ${name} | ${result} | ${ratio} | ${target} | ${ok ? "ok" : "MISSED"} |`,
      ),
    ];
    console.log(
      `\n### Pipeline (${SERVICES} services, ${PUSHED} creates + ${PUSHED} updates back to back, deploys ~${STEP_MS * DEPLOY_STEPS} ms, concurrency 4, ${process.version})\n\n${table.join("\n")}\n`,
    );
    if (missed.length > 0) {
      console.error(`pipeline: ${missed.length} target(s) missed`);
      process.exitCode = 1;
    }
  } finally {
    clearInterval(sampler);
    stopDriving();
    await served.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(repo.dir, { recursive: true, force: true });
  }
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
