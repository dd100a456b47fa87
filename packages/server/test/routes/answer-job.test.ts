import { describe, expect, it } from "vitest";
import { HttpError } from "../../src/http/http-error.js";
import { answerJob } from "../../src/routes/answer-job.js";
import type { RunnerContext } from "../../src/runner-context.js";
import type { JobState, SyncJob } from "../../src/types.js";

const FIELDS = { env: "staging", commit: "a".repeat(40) };

function job(state: JobState): SyncJob {
  return {
    id: "job-1",
    env: "staging",
    commit: "a".repeat(40),
    trigger: "deploy",
    state,
    delivery: null,
    triggeredBy: null,
    tag: null,
    ref: null,
    promotedFrom: null,
    rollbackOf: null,
    services: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    finishedAt: null,
  };
}

/** A context whose engine answers `ended` to `wait`, recording the calls. */
function contextWith(ended: SyncJob | undefined) {
  const waits: unknown[][] = [];
  const context = {
    settings: { waitMs: 1234 },
    engine: {
      wait: async (...args: unknown[]) => {
        waits.push(args);
        return ended;
      },
    },
  } as unknown as RunnerContext;
  return { context, waits };
}

async function bodyOf(response: Response): Promise<{ status: number; body: unknown }> {
  return { status: response.status, body: await response.json() };
}

describe("answerJob", () => {
  it.each([
    ["a created job with 202 accepted", "created", 202, "accepted"],
    ["a duplicate with 200 duplicate", "duplicate", 200, "duplicate"],
  ] as const)("answers %s at once without wait", async (_name, submitted, status, word) => {
    const { context, waits } = contextWith(undefined);
    const response = await answerJob(context, { status: submitted, job: job("queued") }, false, FIELDS);
    expect(await bodyOf(response)).toEqual({ status, body: { status: word, ...FIELDS, deployments: ["job-1"] } });
    expect(waits).toEqual([]);
  });

  it.each([
    ["created", "accepted"],
    ["duplicate", "duplicate"],
  ] as const)("answers a %s job still running after IAC_WAIT_SECONDS with 202 pending", async (submitted, word) => {
    const { context, waits } = contextWith(job("running"));
    const response = await answerJob(context, { status: submitted, job: job("queued") }, true, FIELDS);
    expect(await bodyOf(response)).toEqual({
      status: 202,
      body: { status: word, ...FIELDS, pending: true, deployments: ["job-1"], job: job("running") },
    });
    expect(waits).toEqual([["job-1", 1234]]);
  });

  it("answers the job as submitted when the engine no longer knows it", async () => {
    const { context } = contextWith(undefined);
    const response = await answerJob(context, { status: "created", job: job("queued") }, true, FIELDS);
    expect(await bodyOf(response)).toMatchObject({ status: 202, body: { pending: true, job: { state: "queued" } } });
  });

  it("answers 200 succeeded with the ended job", async () => {
    const { context } = contextWith(job("succeeded"));
    const response = await answerJob(context, { status: "created", job: job("queued") }, true, FIELDS);
    expect(await bodyOf(response)).toEqual({
      status: 200,
      body: { status: "succeeded", ...FIELDS, deployments: ["job-1"], job: job("succeeded") },
    });
  });

  it.each([
    ["failed", 502, "deploy_failed", "a service failed"],
    ["cancelled", 409, "deploy_cancelled", "the job was cancelled"],
    ["superseded", 409, "deploy_superseded", "a newer job took over its services"],
  ] as const)("refuses a job that ended %s with %s %s and the job", async (state, status, code, text) => {
    const { context } = contextWith(job(state));
    const error = await answerJob(context, { status: "created", job: job("queued") }, true, FIELDS).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HttpError);
    expect(await bodyOf((error as HttpError).getResponse())).toEqual({
      status,
      body: {
        code,
        error: `deployment job-1 ended ${state}: ${text}`,
        deployments: ["job-1"],
        job: job(state),
      },
    });
  });
});
