import { afterEach, describe, expect, test } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import type { Runner } from "../../src/types.js";
import {
  createInfraFixture,
  createStubEngine,
  memoryStore,
  pushPayload,
  stubRunnerOptions,
  webhookRequest,
} from "../helpers/runner-fixture.js";
import { newJob } from "../store/store-fixtures.js";
import { eventually, recordingReporter } from "./recording-reporter.js";

let runner: Runner | undefined;
afterEach(async () => {
  await runner?.close();
  runner = undefined;
});

describe("a runner's reports", () => {
  test("go to the reporters it is given: started when a push is stored, finished when its job ends", async () => {
    const fixture = createInfraFixture();
    const store = await memoryStore();
    const engine = createStubEngine(store);
    const reporter = recordingReporter("custom");
    runner = await createRunner(stubRunnerOptions(fixture, engine, { reporters: [reporter] }));
    const after = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "services: {}\n" });
    const push = pushPayload({
      before: fixture.initial,
      after,
      files: { modified: ["platform/01.postgres/compose.yaml"] },
    });
    const answer = await runner.fetch(await webhookRequest(push));
    expect(answer.status).toBe(202);
    const [job] = (await store.listJobs({ limit: 1 })).jobs;
    await eventually(() =>
      expect(reporter.calls).toEqual([{ phase: "started", job: job?.id, state: "queued", memo: null }]),
    );

    // The job ends (a sync engine elsewhere ran it); its finished report follows.
    const task = await store.claimTask("engine", Date.now(), 60_000);
    expect(task?.service.name).toBe("postgres");
    await store.completeTask(job?.id ?? "", "postgres", "engine", "cancelled", cancelledResult(after), Date.now());
    await eventually(() =>
      expect(reporter.calls.map(({ phase, state }) => `${phase}:${state}`)).toEqual([
        "started:queued",
        "finished:cancelled",
      ]),
    );
  });

  test("stop with the runner: nothing is delivered after close()", async () => {
    const fixture = createInfraFixture();
    const store = await memoryStore();
    const engine = createStubEngine(store);
    const reporter = recordingReporter("custom");
    const local = await createRunner(stubRunnerOptions(fixture, engine, { reporters: [reporter] }));
    await local.close();
    await store.createJob(newJob({ id: "late-job" }));
    // Longer than the loop's interval: a loop still running would have delivered by now.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(reporter.calls).toEqual([]);
  });
});

function cancelledResult(commit: string) {
  return {
    service: "postgres",
    env: "staging",
    commit,
    status: "cancelled" as const,
    error: { code: "cancelled" as const, message: "cancelled" },
    hashBefore: null,
    hashAfter: null,
    durationMs: 5,
  };
}
