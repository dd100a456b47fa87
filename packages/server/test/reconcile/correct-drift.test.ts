import { discoverServices, parseConfig } from "@iac/sync";
import { describe, expect, it } from "vitest";
import type { CheckedTarget } from "../../src/reconcile/check-target.js";
import { correctDrift } from "../../src/reconcile/correct-drift.js";
import type { DriftState, JobQuery, NewJob, ServiceDrift } from "../../src/types.js";
import { createStubEngine, INFRA_FILES, memoryStore } from "../helpers/runner-fixture.js";
import { finishJob } from "../routes/store-tasks.js";
import { newJob } from "../store/store-fixtures.js";

const COMMIT = "a".repeat(40);
const INTERVAL = 60_000;

/** A checked target of the infra layout where each service is in the state given, under `reconcile`. */
function checked(
  states: Record<string, DriftState>,
  options: { reconcile?: "report" | "correct"; correctable?: boolean; jobs?: Record<string, string> | undefined } = {},
): CheckedTarget {
  const config = parseConfig(`environments:\n  staging:\n    reconcile: ${options.reconcile ?? "correct"}\n`);
  const catalog = discoverServices(Object.keys(INFRA_FILES), config);
  const drifts = Object.entries(states).map(
    ([service, state]): ServiceDrift => ({
      service,
      commit: COMMIT,
      state,
      expectedHash: null,
      actualHash: null,
      detail: `${service} is ${state}`,
    }),
  );
  const environment = config.environments["staging"] ?? expect.unreachable("no staging");
  // With `jobs`, a target of an environment deployed by request: the definitions of its last successful jobs.
  const stored = options.jobs && {
    environment,
    services: catalog.services,
    jobs: new Map(Object.entries(options.jobs)),
  };
  return {
    target: { env: "staging", commit: COMMIT, correctable: options.correctable ?? true, stored },
    environment,
    services: new Map(catalog.services.map((service) => [service.name, service])),
    drifts,
  };
}

async function setup(start = 10 * INTERVAL) {
  const engine = createStubEngine(await memoryStore());
  // The branch synced COMMIT and plans nothing newer.
  await engine.store.initCursor("staging", COMMIT);
  let now = start;
  const deps = { engine, store: engine.store, now: () => now, intervalMs: INTERVAL };
  return { engine, deps, advance: (ms: number) => (now += ms) };
}

describe("correctDrift", () => {
  it.each([
    ["reconcile: report", { reconcile: "report" as const }],
    ["a newer commit planned than synced", { correctable: false }],
  ])("submits nothing under %s", async (_name, options) => {
    const { engine, deps } = await setup();
    expect(await correctDrift(deps, checked({ postgres: "drifted" }, options))).toBeNull();
    expect(engine.submitted).toEqual([]);
  });

  it("submits nothing when the branch planned a newer commit while the round compared", async () => {
    const { engine, deps } = await setup();
    const target = checked({ postgres: "drifted" });
    const push = newJob({ commit: "b".repeat(40), cursor: { expected: COMMIT } });
    expect((await engine.store.createJob(push)).status).toBe("created");
    expect(await correctDrift(deps, target)).toBeNull();
    expect(engine.submitted).toEqual([]);
  });

  it.each([
    ["as its lane is read, for the branch", "lanes", false],
    ["as its lane is read, for stored definitions", "lanes", true],
    ["just before the correction is stored, for the branch", "submit", false],
    ["just before the correction is stored, for stored definitions", "submit", true],
  ] as const)("submits nothing when a job for the service arrives %s", async (_name, when, fromStored) => {
    const { engine, deps } = await setup();
    const push = newJob({ services: ["postgres"], commit: "b".repeat(40) });
    let jobs: Record<string, string> | undefined;
    if (fromStored) {
      const stored = newJob({ services: ["postgres"] });
      await engine.store.createJob(stored);
      await finishJob(engine.store, stored.id, "succeeded");
      jobs = { postgres: stored.id };
    }
    let arrived = false;
    const arrive = async (now: boolean): Promise<void> => {
      if (now && !arrived) {
        arrived = true;
        await engine.store.createJob(push);
      }
    };
    const racing = {
      ...deps,
      engine: {
        list: async (query: JobQuery) => {
          await arrive(when === "lanes" && query.service === "postgres");
          return engine.list(query);
        },
        submit: async (job: NewJob) => {
          await arrive(when === "submit");
          return engine.submit(job);
        },
      },
    };
    expect(await correctDrift(racing, checked({ postgres: "drifted" }, { jobs }))).toBeNull();
    expect(arrived).toBe(true);
    // The job that came meanwhile is neither superseded nor followed by a correction.
    expect((await engine.store.getJob(push.id))?.state).toBe("queued");
    expect((await engine.store.listJobs({ limit: 10 })).jobs.map((job) => job.trigger)).not.toContain("reconcile");
  });

  it("submits nothing while the branch planned the compared commit but has not synced it yet", async () => {
    const engine = createStubEngine(await memoryStore());
    const before = "c".repeat(40);
    await engine.store.initCursor("staging", before);
    await engine.store.createJob(newJob({ services: ["redis"], commit: COMMIT, cursor: { expected: before } }));
    const deps = { engine, store: engine.store, now: () => 10 * INTERVAL, intervalMs: INTERVAL };
    expect(await correctDrift(deps, checked({ postgres: "drifted" }))).toBeNull();
    expect(engine.submitted).toEqual([]);
  });

  it("corrects stored definitions whatever the branch plans meanwhile", async () => {
    const { engine, deps } = await setup();
    const stored = newJob({ services: ["postgres"] });
    await engine.store.createJob(stored);
    await finishJob(engine.store, stored.id, "succeeded");
    await engine.store.createJob(newJob({ services: ["redis"], commit: "b".repeat(40), cursor: { expected: COMMIT } }));
    const correction = await correctDrift(deps, checked({ postgres: "drifted" }, { jobs: { postgres: stored.id } }));
    expect(correction).toMatchObject({ status: "created", services: ["postgres"] });
  });

  it.each([
    ["a release (/deploy of a tag or ref)", "deploy"],
    ["a rollback", "rollback"],
  ] as const)("leaves alone, against the branch, a service last deployed by %s", async (_name, trigger) => {
    const { engine, deps } = await setup();
    const explicit = newJob({ services: ["postgres"], commit: "d".repeat(40), trigger });
    await engine.store.createJob(explicit);
    await finishJob(engine.store, explicit.id, "succeeded");
    const correction = await correctDrift(deps, checked({ postgres: "drifted", redis: "drifted" }));
    expect(correction).toMatchObject({ status: "created", services: ["redis"] });
  });

  it("corrects, against the branch, a service last deployed by a push or a sync", async () => {
    const { engine, deps } = await setup();
    for (const [service, trigger] of [
      ["postgres", "webhook"],
      ["redis", "sync"],
    ] as const) {
      const job = newJob({ services: [service], trigger });
      await engine.store.createJob(job);
      await finishJob(engine.store, job.id, "succeeded");
    }
    const correction = await correctDrift(deps, checked({ postgres: "drifted", redis: "drifted" }));
    expect(correction).toMatchObject({ status: "created", services: ["postgres", "redis"] });
  });

  it("submits nothing when no service is drifted, missing or not done", async () => {
    const { engine, deps } = await setup();
    const states = { postgres: "in_sync", redis: "unknown" } as const;
    expect(await correctDrift(deps, checked(states))).toBeNull();
    expect(await correctDrift(deps, checked({ postgres: "pending" }))).toBeNull();
    expect(engine.submitted).toEqual([]);
  });

  it("redeploys the drifted, missing and not-done services in one reconcile job at the compared commit", async () => {
    const { engine, deps } = await setup();
    const correction = await correctDrift(deps, checked({ postgres: "missing", redis: "not_done" }));
    expect(correction).toEqual({
      deployment: expect.any(String),
      status: "created",
      commit: COMMIT,
      services: ["postgres", "redis"],
    });
    const [job] = engine.submitted;
    expect(job).toMatchObject({ trigger: "reconcile", env: "staging", commit: COMMIT, cursor: undefined });
    expect(job?.services.map(({ service, reason }) => [service.name, reason])).toEqual([
      ["postgres", { code: "requested", message: "drift detection: postgres is missing" }],
      ["redis", { code: "requested", message: "drift detection: redis is not_done" }],
    ]);
  });

  it("leaves out a drifted service the compared commit does not describe", async () => {
    const { engine, deps } = await setup();
    const correction = await correctDrift(deps, checked({ ghost: "drifted", postgres: "drifted" }));
    expect(correction).toMatchObject({ status: "created", services: ["postgres"] });
    expect(engine.submitted.map((job) => job.expectedNewest)).toEqual([{ postgres: null }]);
  });

  it("submits nothing for a service whose correction (or any job) is still queued, in this interval or the next", async () => {
    const { engine, deps, advance } = await setup();
    const first = await correctDrift(deps, checked({ postgres: "drifted" }));
    expect(first).toMatchObject({ status: "created" });
    advance(1_000);
    expect(await correctDrift(deps, checked({ postgres: "drifted" }))).toBeNull();
    advance(INTERVAL);
    const both = await correctDrift(deps, checked({ postgres: "drifted", redis: "drifted" }));
    expect(both).toMatchObject({ status: "created", services: ["redis"] });
    expect((await engine.store.listJobs({ limit: 10 })).jobs).toHaveLength(2);
  });

  it("tries again one interval after a correction failed, not within the same interval", async () => {
    const { engine, deps, advance } = await setup();
    const first = await correctDrift(deps, checked({ postgres: "drifted" }));
    await finishJob(engine.store, first?.deployment ?? "", "failed");
    advance(1_000);
    expect(await correctDrift(deps, checked({ postgres: "drifted" }))).toEqual({ ...first, status: "duplicate" });
    advance(INTERVAL);
    const retry = await correctDrift(deps, checked({ postgres: "drifted" }));
    expect(retry).toMatchObject({ status: "created", services: ["postgres"] });
    expect(retry?.deployment).not.toBe(first?.deployment);
  });

  it("redeploys a stored definition only while its job is still the lane's last success", async () => {
    const { engine, deps, advance } = await setup();
    const seeded = await correctDrift(deps, checked({ postgres: "drifted" }));
    await finishJob(engine.store, seeded?.deployment ?? "", "succeeded");
    advance(INTERVAL);
    // A deploy that ended while the round compared is newer than what the target was built from.
    expect(
      await correctDrift(deps, checked({ postgres: "drifted" }, { jobs: { postgres: "an-older-job" } })),
    ).toBeNull();
    const current = await correctDrift(
      deps,
      checked({ postgres: "drifted" }, { jobs: { postgres: seeded?.deployment ?? "" } }),
    );
    expect(current).toMatchObject({ status: "created", services: ["postgres"] });
    expect((await engine.store.listJobs({ limit: 10 })).jobs).toHaveLength(2);
  });
});
