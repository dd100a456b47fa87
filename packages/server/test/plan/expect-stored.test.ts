import { describe, expect, it } from "vitest";
import { expectStored } from "../../src/plan/expect-stored.js";
import type { CreateJobResult, SyncJob } from "../../src/types.js";

const job = { id: "job-1" } as SyncJob;

describe("expectStored", () => {
  it.each(["created", "duplicate"] as const)("answers a %s job as it is", (status) => {
    const outcome: CreateJobResult = { status, job };
    expect(expectStored(outcome)).toBe(outcome);
  });

  it.each<[string, CreateJobResult]>([
    ["cursor_moved", { status: "cursor_moved", planned: null }],
    ["lane_moved", { status: "lane_moved", service: "api", newest: "job-2" }],
  ])("throws on %s, an answer the job could not get", (status, outcome) => {
    expect(() => expectStored(outcome)).toThrow(
      `[@iac/server] unexpected answer of the job store to a new job: ${status}`,
    );
  });
});
