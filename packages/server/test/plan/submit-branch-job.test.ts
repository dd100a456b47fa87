import { PlanError } from "@iac/sync";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type BranchDeps, type BranchJobRequest, submitBranchJob } from "../../src/plan/submit-branch-job.js";
import type { JobStore, SyncEngine } from "../../src/types.js";
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
const REDIS = "platform/02.redis/compose.yaml";
const UNKNOWN = "0123456789abcdef0123456789abcdef01234567";

describe("submitBranchJob", () => {
  let fixture: InfraFixture;
  let store: JobStore;
  let engine: StubEngine;
  let lines: LoggedLine[];

  const submit = (request: BranchJobRequest, deps: Partial<BranchDeps> = {}) =>
    submitBranchJob(
      { git: fixture.mirror, store, engine, branch: "main", now: () => Date.UTC(2026, 0, 1), ...deps },
      request,
      createLineLogger(lines),
    );

  const names = (index = 0): string[] =>
    engine.submitted[index]?.services.map(({ service }) => service.name) ?? ["(no job)"];

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

  it("refuses with branch_not_found when the followed branch does not exist", async () => {
    const error = await submit({ trigger: "sync", env: "staging" }, { branch: "release" }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toMatchObject({
      code: "branch_not_found",
      message: "branch release does not exist in the repository",
    });
    expect(engine.submitted).toEqual([]);
  });

  it("stamps the job with the time of `now` and carries the request's extras", async () => {
    const outcome = await submit({ trigger: "sync", env: "staging", services: ["redis"], extras: { delivery: "d-1" } });
    expect(outcome).toMatchObject({ status: "submitted", outcome: { status: "created" } });
    expect(engine.submitted[0]).toMatchObject({
      createdAt: "2026-01-01T00:00:00.000Z",
      delivery: "d-1",
      trigger: "sync",
      cursor: undefined,
    });
  });

  it("diffs from a push's before that the mirror never saw as if every file changed", async () => {
    const after = fixture.repo.commit({ [REDIS]: "v: 2\n" });
    const outcome = await submit({ trigger: "webhook", env: "staging", push: { before: UNKNOWN, after } });
    expect(outcome).toMatchObject({ status: "submitted", plan: { commit: after } });
    expect(names()).toEqual(["postgres", "redis"]);
    expect(engine.submitted[0]?.cursor).toEqual({ expected: null });
  });

  it("ignores a push whose commit is not on the branch, naming the tip", async () => {
    const orphan = fixture.repo.commit({ [POSTGRES]: "v: orphan\n" });
    await fixture.mirror.fetch();
    fixture.repo.git("reset", "--hard", "--quiet", fixture.initial);
    const outcome = await submit({
      trigger: "webhook",
      env: "staging",
      push: { before: fixture.initial, after: orphan },
    });
    expect(outcome).toEqual({
      status: "ignored",
      reason: "unreachable",
      detail: `commit ${orphan} is not on main (force-pushed away?); the tip is ${fixture.initial}`,
      tip: fixture.initial,
    });
  });

  it("ignores a push that is not newer than what the environment runs", async () => {
    const tip = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
    expect(await store.initCursor("staging", tip)).toBe(true);
    const outcome = await submit({
      trigger: "webhook",
      env: "staging",
      push: { before: fixture.initial, after: fixture.initial },
    });
    expect(outcome).toEqual({
      status: "ignored",
      reason: "already_synced",
      detail: `commit ${fixture.initial} is not newer than ${tip}, which staging already runs`,
      tip,
    });
  });

  it.each([
    ["starts", (sha: string) => sha.startsWith("0")],
    ["ends", (sha: string) => sha.endsWith("0")],
  ])("diffs from a push's before whose SHA %s with a zero like any other commit", async (_name, wanted) => {
    let before = fixture.initial;
    for (let round = 0; !wanted(before); round += 1) {
      before = fixture.repo.commit({ "README.md": `# round ${round}\n` });
    }
    const after = fixture.repo.commit({ [REDIS]: "v: 2\n" });
    const outcome = await submit({ trigger: "webhook", env: "staging", push: { before, after } });
    expect(outcome).toMatchObject({ status: "submitted", plan: { commit: after } });
    expect(names()).toEqual(["redis"]);
  });

  it("plans a /sync of every service at the tip even when the environment already runs it", async () => {
    expect(await store.initCursor("staging", fixture.initial)).toBe(true);
    const outcome = await submit({ trigger: "sync", env: "staging" });
    expect(outcome).toMatchObject({ status: "submitted", outcome: { status: "created" } });
    expect(names()).toEqual(["postgres", "redis"]);
  });

  it("plans nothing for a push whose before is the tip itself, without asking git for a diff", async () => {
    const diffs: unknown[][] = [];
    const git = {
      ...fixture.mirror,
      diffPaths: (...args: Parameters<typeof fixture.mirror.diffPaths>) => {
        diffs.push(args);
        return fixture.mirror.diffPaths(...args);
      },
    };
    const outcome = await submit(
      { trigger: "webhook", env: "staging", push: { before: fixture.initial, after: fixture.initial } },
      { git },
    );
    expect(diffs).toEqual([]);
    expect(outcome).toMatchObject({
      status: "no_changes",
      plan: { commit: fixture.initial, services: [], skipped: [] },
    });
    expect(engine.submitted).toEqual([]);
  });

  it("catches up from a planned but not yet synced position, planning every file at the tip", async () => {
    const planned = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
    const tip = fixture.repo.commit({ [REDIS]: "v: 2\n" });
    expect(
      await submit({ trigger: "webhook", env: "staging", push: { before: fixture.initial, after: planned } }),
    ).toMatchObject({ status: "submitted", plan: { commit: tip } });
    // The webhook planned the tip; a later commit is what the catch-up finds.
    const later = fixture.repo.commit({ "README.md": "# later\n" });
    const outcome = await submit({ trigger: "catchup", env: "staging" });
    expect(outcome).toMatchObject({ status: "submitted", plan: { commit: later } });
    expect(engine.submitted[1]).toMatchObject({ trigger: "catchup", cursor: { expected: tip } });
    expect(names(1)).toEqual(["postgres", "redis"]);
  });

  it("catches up as up to date when another runner recorded the starting point first", async () => {
    const racing: JobStore = {
      ...store,
      initCursor: async (env, commit) => {
        await store.initCursor(env, commit);
        return false;
      },
    };
    const outcome = await submit({ trigger: "catchup", env: "staging" }, { store: racing });
    expect(outcome).toEqual({
      status: "ignored",
      reason: "up_to_date",
      detail: `${fixture.initial} is already planned`,
      tip: fixture.initial,
    });
  });

  it("plans again from the moved position when another job moved it, and logs it", async () => {
    let moves = 1;
    const moving: SyncEngine = {
      ...engine,
      submit: async (job) => {
        if (moves > 0) {
          moves -= 1;
          return { status: "cursor_moved", planned: "f".repeat(40) };
        }
        return engine.submit(job);
      },
    };
    const outcome = await submit({ trigger: "sync", env: "staging" }, { engine: moving });
    expect(outcome).toMatchObject({ status: "submitted", outcome: { status: "created" } });
    expect(lines).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "another job moved the branch position; planning again",
        planned: "f".repeat(40),
      }),
    ]);
  });

  it("gives up after 5 plans when other jobs keep moving the branch position", async () => {
    let submits = 0;
    const moving: SyncEngine = {
      ...engine,
      submit: async () => {
        submits += 1;
        return { status: "cursor_moved", planned: null };
      },
    };
    const error = await submit({ trigger: "sync", env: "staging" }, { engine: moving }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toMatchObject({
      code: "git_fetch_failed",
      message: "the branch kept moving while the request was planned; try again",
    });
    expect(submits).toBe(5);
  });
});
