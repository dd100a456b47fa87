import { describe, expect, it, onTestFinished } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import type { GitMirror } from "../../src/types.js";
import {
  createInfraFixture,
  createLineLogger,
  type LoggedLine,
  memoryStore,
  testSettings,
} from "../helpers/runner-fixture.js";
import { startLiveRunner, useMsw } from "./live-runner.js";

const server = useMsw();
const POSTGRES = "platform/01.postgres/compose.yaml";

describe("createRunner's catch-up with the branch (real engine, fake Dokploy)", () => {
  it("deploys at start a push no webhook announced while the runner was down", async () => {
    const fixture = createInfraFixture();
    // Registered before the runner starts, so it runs after the runner closed (finish hooks run last-in first-out).
    onTestFinished(() => fixture.cleanup());
    const store = await memoryStore();
    expect(await store.initCursor("staging", fixture.initial)).toBe(true);
    const missed = fixture.repo.commit({ [POSTGRES]: "services:\n  app:\n    image: nginx:missed\n" });
    const live = await startLiveRunner(server, { fixture, store, runner: { catchUp: undefined } });
    await expect.poll(async () => (await store.listJobs({ limit: 10 })).jobs.length).toBe(1);
    const [job] = (await store.listJobs({ limit: 10 })).jobs;
    expect(job).toMatchObject({ trigger: "catchup", commit: missed, services: [{ service: "postgres" }] });
    expect(await live.waitForJob(job?.id ?? "")).toMatchObject({ state: "succeeded" });
    expect(live.composeFile("postgres")).toContain("nginx:missed");
    expect(await store.cursor("staging")).toEqual({ planned: missed, synced: missed });
  });

  it("polls every IAC_POLL_INTERVAL and deploys a push made after the start", async () => {
    const live = await startLiveRunner(server, { settings: { pollIntervalMs: 50 }, runner: { catchUp: undefined } });
    await expect
      .poll(() => live.store.cursor("staging"))
      .toEqual({ planned: live.fixture.initial, synced: live.fixture.initial });
    const pushed = live.fixture.repo.commit({ [POSTGRES]: "services:\n  app:\n    image: nginx:polled\n" });
    await expect
      .poll(() => live.store.cursor("staging"), { timeout: 5_000 })
      .toEqual({
        planned: pushed,
        synced: pushed,
      });
    expect(live.composeFile("postgres")).toContain("nginx:polled");
    const { jobs } = await live.store.listJobs({ limit: 10 });
    expect(jobs.map((job) => [job.trigger, job.commit, job.state])).toEqual([["catchup", pushed, "succeeded"]]);
  });
});

describe("createRunner's close() and the catch-up", () => {
  const ROUND_ENDS = new Set([
    "caught up with the branch",
    "empty store: the branch tip is the starting point, nothing deployed",
    "catch-up found nothing to do",
    "another runner is catching up",
    "catch-up failed; trying again next round",
  ]);

  it("waits for a catch-up round in flight, so no round runs against the store it closed", async () => {
    const fixture = createInfraFixture();
    onTestFinished(() => fixture.cleanup());
    const lines: LoggedLine[] = [];
    let fetches = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first round runs at once; the second one is held in its fetch until the runner is closing.
    const git: GitMirror = {
      ...fixture.mirror,
      fetch: async () => {
        fetches += 1;
        if (fetches > 1) {
          await gate;
        }
        return fixture.mirror.fetch();
      },
    };
    const runner = await createRunner({
      settings: testSettings(fixture.repo.url, fixture.dataDir, { pollIntervalMs: 20 }),
      git,
      healthChecks: {},
      logger: createLineLogger(lines),
      fetch: (() => Promise.reject(new TypeError("offline"))) as typeof fetch,
    });
    await expect.poll(() => fetches).toBe(2);
    const closing = runner.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await closing;
    const ends = () => lines.filter((line) => line.msg !== undefined && ROUND_ENDS.has(line.msg));
    await expect.poll(() => ends().length).toBe(2);
    expect(ends()[1]).toMatchObject({ msg: "catch-up found nothing to do" });
  });
});
