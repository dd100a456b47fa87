import { readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
import type { JobStore, SyncJob } from "../../src/types.js";
import { ciRequest, INFRA_FILES, memoryStore } from "../helpers/runner-fixture.js";
import { type LiveRunner, startLiveRunner, useMsw } from "../integration/live-runner.js";
import {
  BACK,
  composeIn,
  DRIFTED,
  drift,
  environmentDrift,
  metric,
  roundsLater,
  TAMPERED,
  TOKEN,
  tamper,
} from "./drift-fixtures.js";

const server = useMsw();
const POSTGRES = INFRA_FILES["platform/01.postgres/compose.yaml"];
const CHANGED = "services:\n  app:\n    image: nginx:2\n";
const BROKEN = "services:\n  postgres:\n    image: postgres:does-not-start\n";

/** Sends a signed `/sync` or `/deploy` request and waits for the job it made. */
async function run(live: LiveRunner, path: "/sync" | "/deploy", body: Record<string, unknown>): Promise<SyncJob> {
  const answer = await live.runner.fetch(await ciRequest(path, body));
  expect(answer.status).toBeLessThan(300);
  const { deployments } = (await answer.json()) as { deployments: string[] };
  return live.waitForJob(deployments[0] ?? "");
}

/**
 * A runner checking drift every 20 ms (DEPLOY_ENV staging) whose production has `production` settings. The layout
 * is committed and tagged v1.0.0, every service synced to staging at it, then `deploy` (all services unless it names
 * some) deployed to production with that tag; the branch then moves on, changing postgres in staging only.
 */
async function releasedRunner(
  production: string,
  deploy: Record<string, unknown> = {},
  store?: JobStore,
): Promise<{ live: LiveRunner; release: SyncJob; synced: SyncJob }> {
  const live = await startLiveRunner(server, {
    store,
    settings: { reconcileIntervalMs: 20, apiToken: TOKEN },
    dokploy: {
      deploy: {
        mode: "auto",
        outcome: (compose) => (compose.composeFile.includes("does-not-start") ? "error" : "done"),
      },
    },
  });
  const { repo } = live.fixture;
  repo.commit({ "iac.config.yaml": `environments:\n  staging: {}\n  production:\n${production}` });
  repo.tag("v1.0.0");
  expect(await run(live, "/sync", { all: true })).toMatchObject({ state: "succeeded" });
  await expect.poll(async () => (await environmentDrift(live, "production"))?.outcome).toBe("idle");
  const release = await run(live, "/deploy", { env: "production", tag: "v1.0.0", ...deploy });
  expect(release).toMatchObject({ state: "succeeded", env: "production", tag: "v1.0.0" });
  repo.commit({ "platform/01.postgres/compose.yaml": CHANGED });
  const synced = await run(live, "/sync", { all: true });
  expect(synced.services.map(({ service, result }) => [service, result?.status])).toEqual([
    ["postgres", "updated"],
    ["redis", "skipped"],
  ]);
  return { live, release, synced };
}

const productionHash = (live: LiveRunner, name: string) => readStoredHash(composeIn(live, name, "production")?.env);
const jobsOf = async (live: LiveRunner): Promise<SyncJob[]> => (await live.store.listJobs({ limit: 100 })).jobs;
const statesOf = async (live: LiveRunner, env: string) =>
  (await environmentDrift(live, env))?.services.map(({ service, state }) => [service, state]);

describe("drift detection of an environment deployed by tag", () => {
  it("compares production at the tag's commit and reports a compose changed there, staging untouched", async () => {
    const { live, release } = await releasedRunner("    reconcile: report\n");
    const expected = productionHash(live, "postgres");
    await expect
      .poll(() => statesOf(live, "production"))
      .toEqual([
        ["postgres", "in_sync"],
        ["redis", "in_sync"],
      ]);
    tamper(live, "postgres", "production");
    await expect.poll(async () => (await statesOf(live, "production"))?.[0]).toEqual(["postgres", "drifted"]);
    await roundsLater(live, 3);
    const report = await drift(live);
    expect(report.services.map(({ service, state }) => [service, state])).toEqual([
      ["postgres", "in_sync"],
      ["redis", "in_sync"],
    ]);
    expect(report.environments).toEqual([
      {
        env: "production",
        commit: release.commit,
        outcome: "ok",
        detail: null,
        services: [
          expect.objectContaining({
            service: "postgres",
            commit: release.commit,
            state: "drifted",
            expectedHash: expected,
            actualHash: TAMPERED,
          }),
          expect.objectContaining({ service: "redis", commit: release.commit, state: "in_sync" }),
        ],
        corrections: [],
      },
    ]);
    expect(await metric(live, "iac_runner_drift_services", { env: "production", state: "drifted" })).toBe(1);
    expect(await metric(live, "iac_runner_drift_services", { env: "production", state: "in_sync" })).toBe(1);
    expect(await metric(live, "iac_runner_drift_services", { env: "staging", state: "drifted" })).toBe(0);
    expect(live.lines.filter((line) => line.msg === DRIFTED)).toEqual([
      expect.objectContaining({ level: "warn", env: "production", service: "postgres", commit: release.commit }),
    ]);
    // reconcile: report deploys nothing: the release and the two staging syncs.
    expect((await jobsOf(live)).map((job) => [job.trigger, job.env])).toEqual([
      ["sync", "staging"],
      ["deploy", "production"],
      ["sync", "staging"],
    ]);
    expect(productionHash(live, "postgres")).toBe(TAMPERED);
  });

  it("corrects production at the tag's commit with the stored definitions, then reports it back in sync", async () => {
    const { live, release } = await releasedRunner("    reconcile: correct\n");
    const expected = productionHash(live, "postgres");
    await expect
      .poll(() => statesOf(live, "production"))
      .toEqual([
        ["postgres", "in_sync"],
        ["redis", "in_sync"],
      ]);
    tamper(live, "postgres", "production");
    await expect.poll(async () => (await jobsOf(live))[0]?.trigger).toBe("reconcile");
    const [correction] = await jobsOf(live);
    expect(await live.waitForJob(correction?.id ?? "")).toMatchObject({
      env: "production",
      commit: release.commit,
      tag: null,
      state: "succeeded",
      services: [{ service: "postgres", result: { status: "updated", hashAfter: expected } }],
    });
    expect(composeIn(live, "postgres", "production")?.composeFile).toBe(POSTGRES);
    expect(composeIn(live, "postgres", "staging")?.composeFile).toBe(CHANGED);
    await expect
      .poll(() => statesOf(live, "production"))
      .toEqual([
        ["postgres", "in_sync"],
        ["redis", "in_sync"],
      ]);
    await roundsLater(live, 3);
    expect((await jobsOf(live)).filter((job) => job.trigger === "reconcile")).toHaveLength(1);
    expect(productionHash(live, "postgres")).toBe(expected);
    const logged = live.lines.filter((line) => line.msg === DRIFTED || line.msg === BACK);
    expect(logged).toEqual([
      expect.objectContaining({ level: "warn", msg: DRIFTED, env: "production", service: "postgres" }),
      expect.objectContaining({ level: "info", msg: BACK, env: "production", service: "postgres" }),
    ]);
  });

  it("never corrects a production service while a job of it is in flight", async () => {
    const { live } = await releasedRunner("    reconcile: correct\n");
    // A release of new redis content whose deploy never ends: Dokploy no longer holds what v1.0.0 deployed.
    live.fixture.repo.commit({ "platform/02.redis/compose.yaml": CHANGED });
    live.fixture.repo.tag("v1.0.1");
    live.dokploy.configureDeploys({ mode: "stuck" });
    const answer = await live.runner.fetch(
      await ciRequest("/deploy", { env: "production", tag: "v1.0.1", services: ["redis"] }),
    );
    expect(answer.status).toBe(202);
    const { deployments } = (await answer.json()) as { deployments: string[] };
    await live.waitUntilDeploying(deployments[0] ?? "");
    await roundsLater(live, 3);
    expect(await statesOf(live, "production")).toEqual([
      ["postgres", "in_sync"],
      ["redis", "pending"],
    ]);
    expect(await metric(live, "iac_runner_drift_services", { env: "production", state: "pending" })).toBe(1);
    expect((await jobsOf(live)).filter((job) => job.trigger === "reconcile")).toEqual([]);
  });

  it("leaves out of production a service only ever deployed to staging", async () => {
    const { live, release } = await releasedRunner("    reconcile: correct\n", { services: ["postgres"] });
    expect(release.services.map(({ service }) => service)).toEqual(["postgres"]);
    expect(composeIn(live, "redis", "production")).toBeUndefined();
    await roundsLater(live, 3);
    expect(await environmentDrift(live, "production")).toMatchObject({
      outcome: "ok",
      commit: release.commit,
      services: [expect.objectContaining({ service: "postgres", state: "in_sync" })],
      corrections: [],
    });
    expect(await metric(live, "iac_runner_drift_services", { env: "production", state: "missing" })).toBe(0);
    expect((await jobsOf(live)).filter((job) => job.trigger === "reconcile")).toEqual([]);
  });

  it("compares with the rolled-back content after a failed release was rolled back", async () => {
    const { live, release } = await releasedRunner("    reconcile: report\n    rollback: auto\n");
    const goodHash = productionHash(live, "postgres");
    const { repo } = live.fixture;
    const broken = repo.commit({ "platform/01.postgres/compose.yaml": BROKEN });
    repo.tag("v1.1.0");
    const failed = await run(live, "/deploy", { env: "production", tag: "v1.1.0" });
    expect(failed.services.map(({ service, state }) => [service, state])).toEqual([
      ["postgres", "failed"],
      ["redis", "succeeded"],
    ]);
    let rollback: SyncJob | undefined;
    await expect
      .poll(
        async () => {
          rollback = (await jobsOf(live)).find((job) => job.trigger === "rollback");
          return rollback?.state;
        },
        { timeout: 15_000 },
      )
      .toBe("succeeded");
    expect(rollback).toMatchObject({ env: "production", commit: release.commit, rollbackOf: failed.id });
    expect(await live.store.lastSuccessfulSync("production", "postgres")).toMatchObject({ jobId: rollback?.id });
    // postgres is compared at the rolled-back commit, redis (whose release succeeded) at the new tag's.
    await expect
      .poll(async () => environmentDrift(live, "production"))
      .toMatchObject({
        commit: null,
        services: [
          expect.objectContaining({ service: "postgres", commit: release.commit, state: "in_sync" }),
          expect.objectContaining({ service: "redis", commit: broken, state: "in_sync" }),
        ],
      });
    tamper(live, "postgres", "production");
    await expect
      .poll(async () => (await environmentDrift(live, "production"))?.services[0])
      .toMatchObject({
        service: "postgres",
        commit: release.commit,
        state: "drifted",
        expectedHash: goodHash,
        actualHash: TAMPERED,
      });
  });

  it("reports, but never reverts, a failed release that was not rolled back", async () => {
    const { live } = await releasedRunner('    reconcile: correct\n    rollback: "off"\n');
    live.fixture.repo.commit({ "platform/01.postgres/compose.yaml": BROKEN });
    live.fixture.repo.tag("v1.1.0");
    const failed = await run(live, "/deploy", { env: "production", tag: "v1.1.0", services: ["postgres"] });
    expect(failed.state).toBe("failed");
    // Dokploy holds the broken release without a hash: drifted from the last success, which stays the reference.
    await expect
      .poll(() => statesOf(live, "production"))
      .toEqual([
        ["postgres", "drifted"],
        ["redis", "in_sync"],
      ]);
    await roundsLater(live, 3);
    expect((await jobsOf(live)).filter((job) => job.trigger === "reconcile")).toEqual([]);
    expect(composeIn(live, "postgres", "production")?.composeFile).toBe(BROKEN);
  });

  it("fails production alone while its last jobs cannot be read, says so once, and recovers", async () => {
    const store = await memoryStore();
    let down = false;
    const faulty: JobStore = {
      ...store,
      lastSuccessfulSync: (env, service) =>
        down ? Promise.reject(new Error("database down")) : store.lastSuccessfulSync(env, service),
    };
    const { live } = await releasedRunner("    reconcile: correct\n", {}, faulty);
    await expect.poll(async () => (await environmentDrift(live, "production"))?.outcome).toBe("ok");
    down = true;
    await expect.poll(async () => (await environmentDrift(live, "production"))?.outcome).toBe("failed");
    await roundsLater(live, 2);
    const report = await drift(live);
    expect(report.outcome).toBe("ok");
    expect(report.environments).toEqual([
      expect.objectContaining({ env: "production", detail: "the round failed; see the runner's log", services: [] }),
    ]);
    // The last complete count of production stays.
    expect(await metric(live, "iac_runner_drift_services", { env: "production", state: "in_sync" })).toBe(2);
    down = false;
    await expect.poll(async () => (await environmentDrift(live, "production"))?.outcome).toBe("ok");
    const CHANGES = ["drift detection is failing", "drift detection works again"];
    const changes = live.lines.filter((line) => CHANGES.includes(line.msg ?? ""));
    expect(changes.map((line) => [line.level, line.msg, line["env"]])).toEqual([
      ["warn", "drift detection is failing", "production"],
      ["info", "drift detection works again", "production"],
    ]);
    // The store's own error is in the log, never in the report.
    expect(live.lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        env: "production",
        err: expect.objectContaining({ message: "[@iac/server] the job store failed during lastSuccessfulSync" }),
      }),
    );
    expect((await jobsOf(live)).filter((job) => job.trigger === "reconcile")).toEqual([]);
  });
});
