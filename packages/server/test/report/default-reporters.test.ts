import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { defaultReporters, type ReporterDeps } from "../../src/report/default-reporters.js";
import type { JobStore, RunnerSettings } from "../../src/types.js";
import { createLineLogger, createStubEngine, memoryStore, testSettings } from "../helpers/runner-fixture.js";
import { COMMIT_A, COMMIT_B, environmentConfig, newJob, syncResult, T0 } from "../store/store-fixtures.js";
import { claim, jobOf, stored } from "../store/store-steps.js";
import { finishedJob, finishedReport } from "./notify/notify-fixtures.js";
import { serveNotifyReceiver } from "./notify/notify-receiver.js";

const NOW = T0 + 60_000;

async function deps(overrides: Partial<RunnerSettings> = {}, rest: Partial<ReporterDeps> = {}): Promise<ReporterDeps> {
  const store = await memoryStore();
  return {
    settings: testSettings("https://github.com/acme/infra.git", "/tmp", overrides),
    store,
    engine: createStubEngine(store),
    logger: createLineLogger([]),
    fetch: undefined,
    now: () => NOW,
    variables: undefined,
    ...rest,
  };
}

/** Runs the next task of `store` to `state`, a failure with `deploy_failed`. */
async function settleNext(store: JobStore, state: "succeeded" | "failed"): Promise<void> {
  const task = await claim(store, "runner-1", T0);
  const result =
    state === "succeeded"
      ? syncResult(task.service.name, "updated", task.commit)
      : {
          ...syncResult(task.service.name, "failed", task.commit),
          error: { code: "deploy_failed" as const, message: "the deploy failed" },
        };
  expect(await store.completeTask(task.jobId, task.service.name, "runner-1", state, result, T0)).toBe(true);
}

describe("defaultReporters", () => {
  it("delivers to rollback first, then notify, with no GitHub reporter without a token", async () => {
    const reporters = defaultReporters(await deps());
    expect(reporters.map((reporter) => reporter.name)).toEqual(["rollback", "notify"]);
  });

  it("puts the GitHub reporter between rollback and notify when the settings have a token", async () => {
    const github = { token: "ghp_test", apiUrl: "https://api.github.com", repository: "acme/infra" };
    const reporters = defaultReporters(await deps({ github }));
    expect(reporters.map((reporter) => reporter.name)).toEqual(["rollback", "github", "notify"]);
  });

  it("rolls back through the engine, creating the rollback job at the runner's time", async () => {
    const d = await deps();
    const auto = { ...environmentConfig(), rollback: "auto" as const };
    await d.store.createJob(newJob({ commit: COMMIT_A, tag: "v1", environment: auto }));
    await settleNext(d.store, "succeeded");
    const failed = jobOf(await d.store.createJob(newJob({ commit: COMMIT_B, tag: "v2", environment: auto })));
    await settleNext(d.store, "failed");
    const [rollback] = defaultReporters(d);

    await rollback?.deliver({ phase: "finished", job: await stored(d.store, failed.id), environment: auto }, null);

    const engine = d.engine as ReturnType<typeof createStubEngine>;
    expect(engine.submitted).toMatchObject([
      { trigger: "rollback", rollbackOf: failed.id, commit: COMMIT_A, createdAt: new Date(NOW).toISOString() },
    ]);
  });

  it("resolves notification targets from the secrets file the settings name, or from the variables given", async () => {
    const receiver = await serveNotifyReceiver();
    onTestFinished(() => receiver.close());
    const dir = mkdtempSync(join(tmpdir(), "iac-reporters-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const secretsFile = join(dir, ".env");
    writeFileSync(secretsFile, `SLACK_HOOK=${receiver.url("from-file")}\n`);
    const report = finishedReport(finishedJob("failed"), [
      { type: "slack", url: "$SLACK_HOOK", secret: null, on: "all" },
    ]);

    const fromFile = defaultReporters(await deps({ secretsFile })).at(-1);
    await fromFile?.deliver(report, null);
    const given = defaultReporters(
      await deps({ secretsFile }, { variables: (name) => (name === "SLACK_HOOK" ? receiver.url("given") : undefined) }),
    ).at(-1);
    await given?.deliver(report, null);

    expect(receiver.received.map(({ name, status }) => `${name}:${status}`)).toEqual(["from-file:200", "given:200"]);
  });

  it("reads the secrets file the environment names when the settings name none", async () => {
    const receiver = await serveNotifyReceiver();
    onTestFinished(() => receiver.close());
    const dir = mkdtempSync(join(tmpdir(), "iac-reporters-"));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const secretsFile = join(dir, ".env");
    writeFileSync(secretsFile, `SLACK_HOOK=${receiver.url("from-env-file")}\n`);
    vi.stubEnv("IAC_SECRETS_FILE", secretsFile);
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const report = finishedReport(finishedJob("failed"), [
      { type: "slack", url: "$SLACK_HOOK", secret: null, on: "all" },
    ]);

    await defaultReporters(await deps())
      .at(-1)
      ?.deliver(report, null);

    expect(receiver.received.map(({ name }) => name)).toEqual(["from-env-file"]);
  });
});
