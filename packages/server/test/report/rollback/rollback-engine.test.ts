import { readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { createRollbackReporter } from "../../../src/report/rollback/create-rollback-reporter.js";
import type { NewJob, SyncJob } from "../../../src/types.js";
import {
  CONFIG,
  composeNamed,
  createCaptureLogger,
  createHarness,
  type Harness,
  REDIS_COMPOSE,
  useMsw,
} from "../../engine/harness.js";

const server = useMsw();

/** Submits a release of redis (a job with a tag) to the harness engine and waits for it to end. */
async function releaseRedis(h: Harness, commit: string, tag: string): Promise<{ job: SyncJob; planned: NewJob }> {
  const planned = { ...(await h.newJob({ services: ["redis"], commit, trigger: "deploy" })), tag };
  const submitted = await h.engine.submit(planned);
  if (!("job" in submitted)) {
    throw new Error("a job without a cursor never moves one");
  }
  await h.engine.idle();
  const job = await h.engine.get(submitted.job.id);
  if (job === undefined) {
    throw new Error(`job ${submitted.job.id} vanished`);
  }
  return { job, planned };
}

describe("rollback through the engine", () => {
  it("a failed release is followed by a rollback job that redeploys the last good content in Dokploy", async () => {
    const h = await createHarness(server);
    const good = await h.commit({ "iac.config.yaml": `${CONFIG}environments:\n  staging:\n    rollback: auto\n` });
    const v1 = await releaseRedis(h, good, "v1.0.0");
    expect(v1.job.state).toBe("succeeded");
    const goodHash = v1.job.services[0]?.result?.hashAfter;

    const broken = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
    h.dokploy.configureDeploys({ outcome: "error" });
    const v2 = await releaseRedis(h, broken, "v1.1.0");
    expect(v2.job.services[0]).toMatchObject({ state: "failed", result: { error: { code: "deploy_failed" } } });
    expect(composeNamed(h.dokploy, "redis")?.composeFile).toContain("redis:8");
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBeNull();

    h.dokploy.configureDeploys({ outcome: "done" });
    const reporter = createRollbackReporter({
      store: h.store,
      submit: (job) => h.engine.submit(job),
      logger: createCaptureLogger(h.lines),
      now: () => h.clock.now(),
    });
    await reporter.deliver({ phase: "finished", job: v2.job, environment: v2.planned.environment }, null);
    await h.engine.idle();

    const { jobs } = await h.engine.list({ limit: 10, service: "redis" });
    const rollback = jobs[0];
    expect(rollback).toMatchObject({ trigger: "rollback", rollbackOf: v2.job.id, commit: good, state: "succeeded" });
    expect(rollback?.services[0]?.result).toMatchObject({ status: "updated", hashAfter: goodHash });
    const compose = composeNamed(h.dokploy, "redis");
    expect(compose?.composeFile).toBe(REDIS_COMPOSE);
    expect(readStoredHash(compose?.env)).toBe(goodHash);
    expect(h.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["done", "error", "done"]);
    expect(h.dokploy.state.deployCalls[2]?.snapshot?.compose.composeFile).toBe(REDIS_COMPOSE);

    // The rollback succeeded and is no release: reporting it rolls nothing back.
    if (rollback !== undefined) {
      await reporter.deliver({ phase: "finished", job: rollback, environment: v2.planned.environment }, null);
    }
    await h.engine.idle();
    expect((await h.engine.list({ limit: 10 })).jobs).toHaveLength(3);
  });

  it("a rollback job that fails is reported as failed and never rolled back in turn", async () => {
    const h = await createHarness(server);
    const good = await h.commit({ "iac.config.yaml": `${CONFIG}environments:\n  staging:\n    rollback: auto\n` });
    await releaseRedis(h, good, "v1.0.0");
    const broken = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
    h.dokploy.configureDeploys({ outcome: "error" });
    const v2 = await releaseRedis(h, broken, "v1.1.0");
    const reporter = createRollbackReporter({
      store: h.store,
      submit: (job) => h.engine.submit(job),
      logger: createCaptureLogger(h.lines),
      now: () => h.clock.now(),
    });
    await reporter.deliver({ phase: "finished", job: v2.job, environment: v2.planned.environment }, null);
    await h.engine.idle();
    const [rollback] = (await h.engine.list({ limit: 1 })).jobs;
    expect(rollback).toMatchObject({ trigger: "rollback", state: "failed" });
    if (rollback !== undefined) {
      expect(
        await reporter.deliver({ phase: "finished", job: rollback, environment: v2.planned.environment }, null),
      ).toBeNull();
    }
    await h.engine.idle();
    expect((await h.engine.list({ limit: 10 })).jobs).toHaveLength(3);
    expect(h.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["done", "error", "error"]);
  });
});
