import { describe, expect, it } from "vitest";
import type { JobStore, SyncJob } from "../../src/types.js";
import { ciRequest, createInfraFixture, type InfraFixture, memoryStore } from "../helpers/runner-fixture.js";
import { type LiveRunner, startLiveRunner, useMsw } from "../integration/live-runner.js";
import { BACK, DRIFTED, drift, metric, roundsLater, TAMPERED, TOKEN, tamper } from "./drift-fixtures.js";

const server = useMsw();

/** The infra layout with `reconcile` set for staging. */
function fixtureWith(reconcile: "report" | "correct"): InfraFixture {
  const fixture = createInfraFixture();
  fixture.repo.commit({ "iac.config.yaml": `environments:\n  staging:\n    reconcile: ${reconcile}\n` });
  return fixture;
}

/** A runner checking drift every 20 ms whose every service was synced at the branch tip. */
async function syncedRunner(reconcile: "report" | "correct", store?: JobStore): Promise<LiveRunner> {
  const live = await startLiveRunner(server, {
    fixture: fixtureWith(reconcile),
    settings: { reconcileIntervalMs: 20, apiToken: TOKEN },
    store,
  });
  const answer = await live.runner.fetch(await ciRequest("/sync", { all: true }));
  expect(answer.status).toBeLessThan(300);
  const [job] = (await live.store.listJobs({ limit: 1 })).jobs;
  expect(await live.waitForJob(job?.id ?? "")).toMatchObject({ state: "succeeded" });
  await expect.poll(async () => (await drift(live)).services.map((each) => each.state)).toEqual(["in_sync", "in_sync"]);
  return live;
}

const jobsOf = async (live: LiveRunner): Promise<SyncJob[]> => (await live.store.listJobs({ limit: 100 })).jobs;

describe("drift detection with reconcile: report", () => {
  it("reports a compose changed behind the runner's back, once in the log, and submits nothing", async () => {
    const live = await syncedRunner("report");
    const expected = live.storedHash("postgres");
    tamper(live, "postgres");
    await expect
      .poll(async () => (await drift(live)).services.find((each) => each.service === "postgres")?.state)
      .toBe("drifted");
    await roundsLater(live, 3);
    const report = await drift(live);
    const [synced] = await jobsOf(live);
    expect(report).toMatchObject({ env: "staging", commit: live.fixture.repo.head(), outcome: "ok", corrections: [] });
    expect(report.checkedAt).toEqual(expect.any(String));
    expect(report.services).toEqual([
      expect.objectContaining({ service: "postgres", state: "drifted", expectedHash: expected, actualHash: TAMPERED }),
      expect.objectContaining({ service: "redis", state: "in_sync" }),
    ]);
    expect(await metric(live, "iac_runner_drift_services", { env: "staging", state: "drifted" })).toBe(1);
    expect(await metric(live, "iac_runner_drift_services", { env: "staging", state: "in_sync" })).toBe(1);
    expect(await metric(live, "iac_runner_reconcile_last_round_timestamp_seconds")).toBeGreaterThan(0);
    expect(live.lines.filter((line) => line.msg === DRIFTED)).toEqual([
      expect.objectContaining({ level: "warn", service: "postgres", state: "drifted", actualHash: TAMPERED }),
    ]);
    // Only the sync that set the branch position: report never deploys.
    expect((await jobsOf(live)).map((job) => job.id)).toEqual([synced?.id]);
    expect(live.storedHash("postgres")).toBe(TAMPERED);
  });

  it("reports not_done when a deployment made in Dokploy failed behind a matching hash", async () => {
    const live = await syncedRunner("report");
    const redis = [...live.dokploy.state.composes.values()].find((each) => each.name === "redis");
    const createdAt = new Date(live.dokploy.clock.now() + 3_600_000).toISOString();
    live.dokploy.seed.deployment({
      composeId: redis?.composeId ?? "",
      title: "Manual deployment",
      status: "error",
      createdAt,
    });
    await expect
      .poll(async () => (await drift(live)).services.find((each) => each.service === "redis"))
      .toMatchObject({
        state: "not_done",
        detail: "the newest deployment is error",
        actualHash: live.storedHash("redis"),
      });
    expect(live.lines.filter((line) => line.msg === DRIFTED)).toEqual([
      expect.objectContaining({ service: "redis", state: "not_done" }),
    ]);
  });

  it("says unknown, and why, while Dokploy does not answer, and submits nothing", async () => {
    const live = await syncedRunner("correct");
    const before = await jobsOf(live);
    live.dokploy.inject({ drop: true });
    await expect
      .poll(async () => (await drift(live)).services.map((each) => each.state))
      .toEqual(["unknown", "unknown"]);
    await roundsLater(live, 2);
    const report = await drift(live);
    expect(report.services[0]?.detail).toMatch(/^dokploy_unreachable: /);
    expect(report.corrections).toEqual([]);
    expect(await jobsOf(live)).toEqual(before);
    expect(live.lines.filter((line) => line.msg === DRIFTED)).toEqual([]);
  });

  it("skips a service whose job is in flight, saying pending", async () => {
    const live = await syncedRunner("report");
    tamper(live, "postgres");
    live.dokploy.configureDeploys({ mode: "stuck" });
    const answer = await live.runner.fetch(await ciRequest("/sync", { services: ["postgres"] }));
    expect(answer.status).toBeLessThan(300);
    const [job] = await jobsOf(live);
    await live.waitUntilDeploying(job?.id ?? "");
    await roundsLater(live, 2);
    expect((await drift(live)).services).toEqual([
      expect.objectContaining({ service: "postgres", state: "pending", expectedHash: null }),
      expect.objectContaining({ service: "redis", state: "in_sync" }),
    ]);
    expect(await metric(live, "iac_runner_drift_services", { env: "staging", state: "pending" })).toBe(1);
  });
});

describe("drift detection with reconcile: correct", () => {
  it("redeploys only the drifted service with one reconcile job, then reports it back in sync", async () => {
    const live = await syncedRunner("correct");
    const expected = live.storedHash("postgres");
    const [synced] = await jobsOf(live);
    tamper(live, "postgres");
    await expect.poll(() => live.storedHash("postgres")).toBe(expected);
    await expect
      .poll(async () => (await drift(live)).services.map((each) => each.state))
      .toEqual(["in_sync", "in_sync"]);
    await roundsLater(live, 2);
    const jobs = await jobsOf(live);
    expect(jobs.map((job) => [job.trigger, job.commit, job.state, job.services.map((each) => each.service)])).toEqual([
      ["reconcile", synced?.commit, "succeeded", ["postgres"]],
      ["sync", synced?.commit, "succeeded", ["postgres", "redis"]],
    ]);
    const logged = live.lines.filter((line) => line.msg === DRIFTED || line.msg === BACK);
    expect(logged).toEqual([
      expect.objectContaining({ level: "warn", msg: DRIFTED, service: "postgres" }),
      expect.objectContaining({ level: "info", msg: BACK, service: "postgres" }),
    ]);
  });

  it("redeploys a service whose newest deployment failed behind a matching hash", async () => {
    const live = await syncedRunner("correct");
    const redis = [...live.dokploy.state.composes.values()].find((each) => each.name === "redis");
    const deploys = live.dokploy.state.deployCalls.length;
    // Engine sleeps advance the fake clock, so the redeploy's row is newer than this one.
    live.dokploy.seed.deployment({ composeId: redis?.composeId ?? "", title: "Manual deployment", status: "error" });
    await expect.poll(async () => (await jobsOf(live))[0]?.trigger).toBe("reconcile");
    const [correction] = await jobsOf(live);
    expect(await live.waitForJob(correction?.id ?? "")).toMatchObject({
      state: "succeeded",
      services: [{ service: "redis", result: { status: "updated" } }],
    });
    await expect
      .poll(async () => (await drift(live)).services.map((each) => each.state))
      .toEqual(["in_sync", "in_sync"]);
    expect(live.dokploy.state.deployCalls.length).toBe(deploys + 1);
    expect((await jobsOf(live)).map((job) => job.trigger)).toEqual(["reconcile", "sync"]);
  });

  it("keeps what it compared when the correction cannot be stored, and submits it the next round", async () => {
    const store = await memoryStore();
    let refused = 0;
    const faulty: JobStore = {
      ...store,
      createJob: (job) => {
        if (job.trigger === "reconcile" && refused === 0) {
          refused += 1;
          return Promise.reject(new Error("database down"));
        }
        return store.createJob(job);
      },
    };
    const live = await syncedRunner("correct", faulty);
    const expected = live.storedHash("postgres");
    tamper(live, "postgres");
    await expect.poll(() => live.storedHash("postgres")).toBe(expected);
    await expect
      .poll(async () => (await drift(live)).services.map((each) => each.state))
      .toEqual(["in_sync", "in_sync"]);
    expect(refused).toBe(1);
    expect((await jobsOf(live)).map((job) => [job.trigger, job.state])).toEqual([
      ["reconcile", "succeeded"],
      ["sync", "succeeded"],
    ]);
    const messages = live.lines.filter((line) => line["component"] === "reconcile" && line.level !== "debug");
    expect(messages.map((line) => [line.level, line.msg])).toEqual([
      ["warn", "drift detection round failed; trying again next round"],
      ["warn", "drift detection is failing"],
      ["warn", DRIFTED],
      ["info", "drift detection works again"],
      ["info", "submitted a job to correct drift"],
      ["info", BACK],
    ]);
  });

  it("does not correct while a newer commit is planned than synced", async () => {
    const live = await syncedRunner("correct");
    const [synced] = await jobsOf(live);
    // The branch moved on: a newer job (of postgres) holds the planned position and has not succeeded.
    const newer = live.fixture.repo.commit({
      "platform/01.postgres/compose.yaml": "services:\n  app:\n    image: nginx:2\n",
    });
    live.dokploy.configureDeploys({ mode: "stuck" });
    await live.runner.fetch(await ciRequest("/sync", { all: true }));
    await expect.poll(async () => (await live.store.cursor("staging")).planned).toBe(newer);
    await live.waitUntilDeploying((await jobsOf(live))[0]?.id ?? "");
    tamper(live, "redis");
    await roundsLater(live, 3);
    expect((await jobsOf(live)).map((job) => job.trigger)).toEqual(["sync", "sync"]);
    const report = await drift(live);
    expect(report.commit).toBe(synced?.commit);
    expect(report.services).toEqual([
      expect.objectContaining({ service: "postgres", state: "pending" }),
      expect.objectContaining({ service: "redis", state: "drifted", actualHash: TAMPERED }),
    ]);
    expect(report.corrections).toEqual([]);
  });
});
