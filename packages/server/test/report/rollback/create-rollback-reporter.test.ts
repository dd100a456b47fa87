import type { EnvironmentConfig } from "@iac/sync";
import { describe, expect, it, onTestFinished } from "vitest";
import { ReportRefused } from "../../../src/report/report-refused.js";
import { createRollbackReporter } from "../../../src/report/rollback/create-rollback-reporter.js";
import { createSqliteStore } from "../../../src/store/create-sqlite-store.js";
import type {
  JobReport,
  JobReporter,
  JobStore,
  NewJob,
  ReportMemo,
  SyncErrorCode,
  SyncJob,
  SyncResult,
} from "../../../src/types.js";
import { createCaptureLogger, type LogLine } from "../../engine/harness.js";
import {
  COMMIT_A,
  COMMIT_B,
  COMMIT_C,
  catalogService,
  environmentConfig,
  newJob,
  syncResult,
  T0,
} from "../../store/store-fixtures.js";
import { claim, stored } from "../../store/store-steps.js";

const AUTO: EnvironmentConfig = { ...environmentConfig(), rollback: "auto" };
const NOW = T0 + 60_000;

type Outcome = "succeeded" | SyncErrorCode;

interface Setup {
  store: JobStore;
  reporter: JobReporter;
  lines: LogLine[];
  /** Every job handed to submit, refused or not. */
  submitted: NewJob[];
  /** Runs before each submit reaches the store; throwing makes that submit reject. */
  beforeSubmit: ((job: NewJob) => void | Promise<void>) | undefined;
  deliver(report: JobReport, memo?: ReportMemo): Promise<ReportMemo>;
  /** Stores a job and runs each of its services to its outcome (succeeded unless named; `cancelled` is cancelled). */
  run(job: NewJob, outcomes?: Record<string, Outcome>): Promise<SyncJob>;
  rollbackJobs(): Promise<SyncJob[]>;
}

/** A real SQLite store, and the reporter over it with a submit that records each job before storing it. */
async function setup(): Promise<Setup> {
  const store = await createSqliteStore({ path: ":memory:" });
  onTestFinished(() => store.close());
  const lines: LogLine[] = [];
  const submitted: NewJob[] = [];
  const s: Setup = {
    store,
    get reporter() {
      return reporter;
    },
    lines,
    submitted,
    beforeSubmit: undefined,
    deliver: (report, memo = null) => reporter.deliver(report, memo),
    async run(job, outcomes = {}) {
      await store.createJob(job);
      for (const _ of job.services) {
        const task = await claim(store, "runner-1", T0);
        const name = task.service.name;
        const outcome = outcomes[name] ?? "succeeded";
        const result: SyncResult =
          outcome === "succeeded"
            ? syncResult(name, "updated", task.commit)
            : { ...syncResult(name, "failed", task.commit), error: { code: outcome, message: `${name}: ${outcome}` } };
        const state = outcome === "succeeded" ? "succeeded" : outcome === "cancelled" ? "cancelled" : "failed";
        expect(await store.completeTask(task.jobId, name, "runner-1", state, result, T0)).toBe(true);
      }
      return stored(store, job.id);
    },
    async rollbackJobs() {
      const { jobs } = await store.listJobs({ limit: 100 });
      return jobs.filter((job) => job.trigger === "rollback");
    },
  };
  const reporter = createRollbackReporter({
    store,
    submit: async (job) => {
      submitted.push(job);
      await s.beforeSubmit?.(job);
      return store.createJob(job);
    },
    logger: createCaptureLogger(lines),
    now: () => NOW,
  });
  return s;
}

const finished = (job: SyncJob, environment: EnvironmentConfig = AUTO): JobReport => ({
  phase: "finished",
  job,
  environment,
});

/** A release of `services` at `commit`. */
const release = (commit: string, services: string[], tag = `v-${commit.slice(0, 4)}`): NewJob =>
  newJob({ commit, tag, environment: AUTO, services });

/** A good release of api at A, then a release at B where api fails with `code`. */
async function failedRelease(s: Setup, code: SyncErrorCode = "deploy_failed"): Promise<SyncJob> {
  await s.run(release(COMMIT_A, ["api"]));
  return s.run(release(COMMIT_B, ["api"]), { api: code });
}

describe("createRollbackReporter", () => {
  it("rolls a failed release back to the last good commit, with the definition and environment stored then", async () => {
    const s = await setup();
    const good = release(COMMIT_A, ["api"]);
    const definition = { ...catalogService("api"), env: { LOG_LEVEL: "debug" } };
    good.services = [{ service: definition, reason: { code: "requested", message: "api" } }];
    good.environment = { ...AUTO, dataPath: "/old/{service}" };
    await s.run(good);
    const failed = await s.run(release(COMMIT_B, ["api"]), { api: "probe_failed" });

    const memo = await s.deliver(finished(failed));

    expect(s.submitted).toHaveLength(1);
    const rollback = s.submitted[0];
    expect(rollback).toMatchObject({
      trigger: "rollback",
      rollbackOf: failed.id,
      env: "staging",
      commit: COMMIT_A,
      environment: good.environment,
      services: [{ service: definition, reason: { code: "rollback" } }],
      tag: null,
      requestKey: { key: `rollback:${failed.id}:${COMMIT_A}` },
      createdAt: new Date(NOW).toISOString(),
    });
    expect(rollback?.requestKey?.ttlMs).toBeGreaterThanOrEqual(24 * 60 * 60_000);
    expect(rollback?.services[0]?.reason.message).toBe(
      `rolls back job ${failed.id} (api failed with probe_failed) to job ${good.id}`,
    );
    expect(await s.rollbackJobs()).toMatchObject([
      { id: rollback?.id, state: "queued", rollbackOf: failed.id, commit: COMMIT_A },
    ]);
    expect(memo).toEqual({ rollbacks: [{ job: rollback?.id, commit: COMMIT_A, services: ["api"] }] });
    expect(s.lines.filter((line) => line.level === "warn")).toMatchObject([
      {
        msg: "failed release rolled back",
        fields: { job: failed.id, rollback: rollback?.id, to: COMMIT_A, services: ["api"], duplicate: false },
      },
    ]);
  });

  it("is named rollback: the store keeps its progress under that name", async () => {
    const s = await setup();
    expect(s.reporter.name).toBe("rollback");
  });

  it("rolls back only the services that failed, not those that succeeded or were cancelled with them", async () => {
    const s = await setup();
    await s.run(release(COMMIT_A, ["api", "web", "db"]));
    const failed = await s.run(release(COMMIT_B, ["api", "web", "db"]), { api: "deploy_failed", web: "cancelled" });
    expect(failed.services.map(({ service, state }) => `${service}:${state}`)).toEqual([
      "api:failed",
      "web:cancelled",
      "db:succeeded",
    ]);
    await s.deliver(finished(failed));
    expect(s.submitted.map((job) => job.services.map(({ service }) => service.name))).toEqual([["api"]]);
  });

  it("refuses, not to be retried, a submit that answers without a job", async () => {
    const s = await setup();
    const failed = await failedRelease(s);
    const reporter = createRollbackReporter({
      store: s.store,
      submit: async () => ({ status: "cursor_moved" }) as Awaited<ReturnType<JobStore["createJob"]>>,
      logger: createCaptureLogger([]),
      now: () => NOW,
    });
    const error = await reporter.deliver(finished(failed), null).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ReportRefused);
    expect((error as Error).message).toBe(
      `[@iac/server] rollback of job ${failed.id}: expected a job, received cursor_moved`,
    );
  });

  it.each<[string, (failed: SyncJob) => JobReport]>([
    ["the environment has rollback off", (failed) => finished(failed, { ...AUTO, rollback: "off" })],
    ["the job follows the branch (no tag)", (failed) => finished({ ...failed, tag: null, trigger: "webhook" })],
    ["the failed job is itself a rollback", (failed) => finished({ ...failed, trigger: "rollback", rollbackOf: "x" })],
    ["the report is the job's start", (failed) => ({ ...finished(failed), phase: "started" })],
    ["the job succeeded", (failed) => finished({ ...failed, state: "succeeded" })],
  ])("submits nothing and keeps the memo when %s", async (_, report) => {
    const s = await setup();
    const failed = await failedRelease(s);
    const memo = { kept: true };
    expect(await s.deliver(report(failed), memo)).toBe(memo);
    expect(s.submitted).toEqual([]);
  });

  it.each<[SyncErrorCode, boolean]>([
    ["deploy_failed", true],
    ["deploy_timeout", true],
    ["probe_failed", true],
    ["deploy_unconfirmed", true],
    ["config_invalid", false],
    ["vault_secret_missing", false],
    ["vault_permission_denied", false],
    ["vault_unreachable", false],
    ["git_fetch_failed", false],
    ["dokploy_auth_failed", false],
    ["dokploy_unreachable", false],
    ["dokploy_error", false],
    ["store_unavailable", false],
  ])("a service that failed with %s is rolled back: %s", async (code, rolledBack) => {
    const s = await setup();
    const failed = await failedRelease(s, code);
    await s.deliver(finished(failed));
    expect(s.submitted.map((job) => job.commit)).toEqual(rolledBack ? [COMMIT_A] : []);
  });

  it("logs a service with nothing to roll back to: no success at all, or only at the failed commit", async () => {
    const s = await setup();
    await s.run(release(COMMIT_B, ["web"]));
    const failed = await s.run(release(COMMIT_B, ["api", "web"]), { api: "deploy_failed", web: "deploy_timeout" });
    expect(await s.deliver(finished(failed))).toEqual({ rollbacks: [] });
    expect(s.submitted).toEqual([]);
    const warnings = s.lines.filter((line) => line.level === "warn");
    expect(warnings.map((line) => [line.fields["service"], line.msg])).toEqual([
      ["api", "no successful sync of the service to roll back to"],
      ["web", "the last successful sync is at the failed commit: not rolled back"],
    ]);
    expect(warnings[0]?.fields).toMatchObject({ job: failed.id, code: "deploy_failed" });
  });

  it("makes one job per distinct last good commit, each with the services whose content is there", async () => {
    const s = await setup();
    await s.run(release(COMMIT_A, ["api", "db"]));
    await s.run(release(COMMIT_C, ["web"]));
    const failed = await s.run(release(COMMIT_B, ["api", "web", "db"]), {
      api: "deploy_failed",
      web: "probe_failed",
      db: "deploy_timeout",
    });
    await s.deliver(finished(failed));
    const jobs = await s.rollbackJobs();
    expect(jobs.map((job) => [job.commit, job.services.map((service) => service.service)]).sort()).toEqual([
      [COMMIT_A, ["api", "db"]],
      [COMMIT_C, ["web"]],
    ]);
    expect(jobs.every((job) => job.rollbackOf === failed.id)).toBe(true);
  });

  it("submits once across redeliveries, before and after the rollback ran", async () => {
    const s = await setup();
    const failed = await failedRelease(s);
    const first = await s.deliver(finished(failed));
    const again = await s.deliver(finished(failed), first);
    const [rollback] = await s.rollbackJobs();
    expect(await s.rollbackJobs()).toHaveLength(1);
    expect(again).toEqual(first);
    expect(s.lines.filter((line) => line.level === "warn")).toMatchObject([
      { msg: "failed release rolled back", fields: { rollback: rollback?.id, duplicate: false } },
      { msg: "rollback already submitted", fields: { rollback: rollback?.id, duplicate: true } },
    ]);

    // The rollback succeeds: it is now the lane's newest job and its last success, at the same commit.
    const task = await claim(s.store, "runner-1", T0);
    expect(task.jobId).toBe(rollback?.id);
    await s.store.completeTask(task.jobId, "api", "runner-1", "succeeded", syncResult("api", "updated"), T0);
    expect(await s.deliver(finished(failed), null)).toEqual(first);
    expect(await s.rollbackJobs()).toHaveLength(1);
    expect(s.submitted).toHaveLength(3);
  });

  it("leaves a service alone when a newer job has taken its lane over since the failure", async () => {
    const s = await setup();
    const failed = await failedRelease(s);
    await s.store.createJob(release(COMMIT_C, ["api"]));
    await s.deliver(finished(failed));
    expect(s.submitted).toEqual([]);
    expect(s.lines.filter((line) => line.level === "warn")).toMatchObject([
      {
        msg: "a newer job has taken the service over: not rolled back",
        fields: { job: failed.id, service: "api", code: "deploy_failed" },
      },
    ]);
  });

  it("stores no rollback when a job for the service arrives just before it is stored, and decides again later", async () => {
    const s = await setup();
    const failed = await failedRelease(s);
    const newer = release(COMMIT_C, ["api"]);
    s.beforeSubmit = async () => {
      s.beforeSubmit = undefined;
      await s.store.createJob(newer);
    };
    const refused = s.deliver(finished(failed));
    await expect(refused).rejects.toThrow(`rollback of job ${failed.id}: a newer job took api over meanwhile`);
    // Not refused for good: the report is delivered again, and then the newer job is seen.
    await expect(refused).rejects.not.toBeInstanceOf(ReportRefused);
    expect(await s.rollbackJobs()).toEqual([]);
    expect((await stored(s.store, newer.id)).state).toBe("queued");
    await s.deliver(finished(failed));
    expect(await s.rollbackJobs()).toEqual([]);
    expect(s.lines.filter((line) => line.level === "warn").map((line) => line.msg)).toEqual([
      "a newer job has taken the service over: not rolled back",
    ]);
  });

  it("rejects when a submit fails, and the next delivery makes only the jobs still missing", async () => {
    const s = await setup();
    await s.run(release(COMMIT_A, ["api"]));
    await s.run(release(COMMIT_C, ["web"]));
    const failed = await s.run(release(COMMIT_B, ["api", "web"]), { api: "deploy_failed", web: "deploy_failed" });
    s.beforeSubmit = (job) => {
      if (job.commit === COMMIT_C) {
        throw new Error("the store is unavailable");
      }
    };
    await expect(s.deliver(finished(failed))).rejects.toThrow("the store is unavailable");
    expect((await s.rollbackJobs()).map((job) => job.commit)).toEqual([COMMIT_A]);

    s.beforeSubmit = undefined;
    await s.deliver(finished(failed));
    expect((await s.rollbackJobs()).map((job) => job.commit).sort()).toEqual([COMMIT_A, COMMIT_C]);
  });

  it("rejects when the store cannot be read, submitting nothing", async () => {
    const s = await setup();
    const failed = await failedRelease(s);
    await s.store.close();
    await expect(s.deliver(finished(failed))).rejects.toThrow();
    expect(s.submitted).toEqual([]);
  });
});
