import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { type CatchUp, startCatchUp } from "../../src/plan/start-catch-up.js";
import type { BranchDeps } from "../../src/plan/submit-branch-job.js";
import type { GitMirror, JobStore } from "../../src/types.js";
import {
  createInfraFixture,
  createLineLogger,
  createStubEngine,
  type InfraFixture,
  type LoggedLine,
  memoryStore,
  type StubEngine,
} from "../helpers/runner-fixture.js";

const POSTGRES = "platform/01.postgres/compose.yaml";

describe("startCatchUp", () => {
  let fixture: InfraFixture;
  let store: JobStore;
  let engine: StubEngine;
  let lines: LoggedLine[];

  const start = (
    options: { intervalMs?: number; holder?: string; git?: GitMirror; store?: JobStore } = {},
  ): CatchUp => {
    const deps: BranchDeps = {
      git: options.git ?? fixture.mirror,
      store: options.store ?? store,
      engine,
      branch: "main",
      now: Date.now,
    };
    const catchUp = startCatchUp({
      deps,
      env: "staging",
      holder: options.holder ?? "runner-1",
      intervalMs: options.intervalMs,
      logger: createLineLogger(lines),
    });
    onTestFinished(() => catchUp.stop());
    return catchUp;
  };

  // One repository for the file; each test starts with main back at the initial layout.
  beforeAll(() => {
    fixture = createInfraFixture();
  });
  afterAll(() => fixture.cleanup());

  beforeEach(async () => {
    fixture.repo.git("reset", "--hard", "--quiet", fixture.initial);
    store = await memoryStore();
    engine = createStubEngine(store);
    lines = [];
  });

  it("records the tip as the starting point on an empty store and submits nothing", async () => {
    await start().first;
    expect(await store.cursor("staging")).toEqual({ planned: fixture.initial, synced: fixture.initial });
    expect(engine.submitted).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "info",
        msg: "empty store: the branch tip is the starting point, nothing deployed",
        commit: fixture.initial,
      }),
    );
  });

  it("submits a catch-up job of the services changed since the synced commit", async () => {
    await store.initCursor("staging", fixture.initial);
    const tip = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
    await start().first;
    expect(engine.submitted).toHaveLength(1);
    const [job] = engine.submitted;
    expect(job).toMatchObject({
      env: "staging",
      commit: tip,
      trigger: "catchup",
      delivery: null,
      cursor: { expected: fixture.initial },
    });
    expect(job?.services.map(({ service, reason }) => [service.name, reason.code])).toEqual([["postgres", "changed"]]);
    expect(await store.cursor("staging")).toEqual({ planned: tip, synced: fixture.initial });
    expect(lines).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "caught up with the branch",
        commit: tip,
        deployment: job?.id,
        status: "created",
      }),
    ]);
  });

  it("does nothing when the tip is already planned", async () => {
    await store.initCursor("staging", fixture.initial);
    await start().first;
    expect(engine.submitted).toEqual([]);
    expect(await store.cursor("staging")).toEqual({ planned: fixture.initial, synced: fixture.initial });
    expect(lines).toEqual([{ level: "debug", msg: "catch-up found nothing to do", status: "ignored" }]);
  });

  it("polls every interval, catching up with a push made after the start, until stopped", async () => {
    await store.initCursor("staging", fixture.initial);
    const catchUp = start({ intervalMs: 20 });
    await catchUp.first;
    expect(engine.submitted).toEqual([]);
    const pushed = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
    await expect.poll(() => engine.submitted.map((job) => job.commit), { interval: 10 }).toEqual([pushed]);
    // The next rounds see the tip planned and leave it alone.
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(engine.submitted).toHaveLength(1);

    // Once stopped (a round in flight has ended), a push is not caught up with.
    await catchUp.stop();
    fixture.repo.commit({ [POSTGRES]: "v: 3\n" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(engine.submitted).toHaveLength(1);
    expect((await store.cursor("staging")).planned).toBe(pushed);
  });

  it("leaves the branch alone while another runner holds the catch-up lease", async () => {
    expect(await store.acquireLease("catchup:staging", "runner-2", Date.now(), 60_000)).toBe(true);
    await start({ holder: "runner-1" }).first;
    expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
    expect(engine.submitted).toEqual([]);
    expect(lines).toEqual([{ level: "debug", msg: "another runner is catching up" }]);
  });

  it.each([
    ["a minute without an interval", undefined, 60_000],
    ["a minute when two intervals are shorter", 20_000, 60_000],
    ["two intervals when they are longer than a minute", 45_000, 90_000],
  ])("holds the catch-up lease of its environment for %s", async (_name, intervalMs, ttl) => {
    const leases: unknown[][] = [];
    const recording: JobStore = {
      ...store,
      acquireLease: (...args) => {
        leases.push(args);
        return store.acquireLease(...args);
      },
    };
    await start({ store: recording, holder: "runner-7", ...(intervalMs === undefined ? {} : { intervalMs }) }).first;
    expect(leases).toEqual([["catchup:staging", "runner-7", expect.any(Number), ttl]]);
  });

  it("never keeps the process alive waiting for the next round", async () => {
    const timeouts = vi.spyOn(globalThis, "setTimeout");
    await start({ intervalMs: 45_000 }).first;
    const rounds = timeouts.mock.calls.flatMap(([, delay], index) =>
      delay === 45_000 ? [timeouts.mock.results[index]?.value as NodeJS.Timeout] : [],
    );
    expect(rounds.map((timer) => timer.hasRef())).toEqual([false]);
  });

  describe("scheduling (fake timers)", () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      onTestFinished(() => {
        vi.useRealTimers();
      });
    });

    it("runs only the round at start without an interval", async () => {
      await start().first;
      expect(vi.getTimerCount()).toBe(0);
    });

    it("schedules the next round one interval after a round ended, and no more once stopped", async () => {
      await store.initCursor("staging", fixture.initial);
      const catchUp = start({ intervalMs: 45_000 });
      await catchUp.first;
      expect(vi.getTimerCount()).toBe(1);
      const pushed = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      vi.advanceTimersByTime(44_999);
      expect(engine.submitted).toEqual([]);
      vi.advanceTimersByTime(1);
      await expect.poll(() => engine.submitted.map((job) => job.commit), { interval: 5 }).toEqual([pushed]);
      await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1));
      await catchUp.stop();
      expect(vi.getTimerCount()).toBe(0);
    });

    it("schedules no round after the one in flight when stopped during it", async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const held: GitMirror = { ...fixture.mirror, fetch: () => gate.then(() => fixture.mirror.fetch()) };
      const catchUp = start({ git: held, intervalMs: 45_000 });
      const stopping = catchUp.stop();
      release();
      await stopping;
      expect(await store.cursor("staging")).toEqual({ planned: fixture.initial, synced: fixture.initial });
      expect(vi.getTimerCount()).toBe(0);
    });
  });

  it("logs a failed round and tries again at the next one", async () => {
    let fails = 1;
    const flaky: GitMirror = {
      ...fixture.mirror,
      fetch: () => (fails-- > 0 ? Promise.reject(new Error("remote hung up")) : fixture.mirror.fetch()),
    };
    await start({ git: flaky, intervalMs: 20 }).first;
    expect(lines).toContainEqual({
      level: "warn",
      msg: "catch-up failed; trying again next round",
      err: expect.objectContaining({ name: "PlanError", code: "git_fetch_failed" }),
    });
    expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
    await expect
      .poll(() => store.cursor("staging"), { interval: 10 })
      .toEqual({ planned: fixture.initial, synced: fixture.initial });
  });
});
