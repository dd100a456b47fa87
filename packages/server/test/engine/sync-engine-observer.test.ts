import { describe, expect, it } from "vitest";
import type { SyncAttempt, SyncResult } from "../../src/types.js";
import { createHarness, useMsw } from "./harness.js";

const server = useMsw();

describe("createSyncEngine onResult", () => {
  it("is told of every attempt: a retried transient failure, then the final result with its job and trigger", async () => {
    const seen: Array<[SyncResult, SyncAttempt]> = [];
    const h = await createHarness(server, { engine: { onResult: (result, attempt) => seen.push([result, attempt]) } });
    h.dokploy.inject({ route: "/project.all", status: 503, times: 1 });
    const job = await h.sync({ services: ["redis"], trigger: "webhook" });
    expect(job.state).toBe("succeeded");
    expect(seen.map(([result, attempt]) => [result.status, result.error?.code, attempt])).toEqual([
      ["failed", "dokploy_unreachable", { jobId: job.id, trigger: "webhook", attempt: 1, retrying: true }],
      ["created", undefined, { jobId: job.id, trigger: "webhook", attempt: 2, retrying: false }],
    ]);
    // An unchanged service is skipped: a deploy avoided by its matching hash, reported like any other result.
    const again = await h.sync({ services: ["redis"] });
    expect(seen.at(-1)).toEqual([
      expect.objectContaining({ service: "redis", status: "skipped" }),
      { jobId: again.id, trigger: "sync", attempt: 1, retrying: false },
    ]);
  });

  it("reports a final failure after the retry limit as not retrying", async () => {
    const seen: SyncAttempt[] = [];
    const h = await createHarness(server, {
      engine: { retryLimit: 1, onResult: (_result, attempt) => seen.push(attempt) },
    });
    h.dokploy.inject({ route: "/project.all", status: 503 });
    const job = await h.sync({ services: ["redis"] });
    expect(job.state).toBe("failed");
    expect(seen.map((attempt) => [attempt.attempt, attempt.retrying])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("observer bug");
      },
    ],
    ["rejects", async () => Promise.reject(new Error("observer bug"))],
  ])("never lets an observer that %s change the sync; the failure is logged", async (_name, onResult) => {
    const h = await createHarness(server, { engine: { onResult } });
    const job = await h.sync({ services: ["redis"] });
    expect(job).toMatchObject({
      state: "succeeded",
      services: [{ state: "succeeded", result: { status: "created" } }],
    });
    await expect.poll(() => h.lines.filter((line) => line.msg === "the onResult observer failed").length).toBe(1);
    expect(h.lines.find((line) => line.msg === "the onResult observer failed")).toMatchObject({
      level: "warn",
      fields: { service: "redis", job: job.id },
    });
  });
});
