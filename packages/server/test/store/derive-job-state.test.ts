import { describe, expect, test } from "vitest";
import { deriveJobState, type ServiceProgress } from "../../src/store/derive-job-state.js";
import type { JobState } from "../../src/types.js";

const services = (...states: JobState[]): ServiceProgress[] => states.map((state) => ({ state, attempts: 0 }));

describe("deriveJobState", () => {
  const cases: [string, { given: ServiceProgress[]; want: JobState }][] = [
    ["all queued", { given: services("queued", "queued"), want: "queued" }],
    ["one running", { given: services("queued", "running"), want: "running" }],
    ["a queued retry (an attempt was made)", { given: [{ state: "queued", attempts: 1 }], want: "running" }],
    ["one terminal, one queued", { given: services("succeeded", "queued"), want: "running" }],
    ["one superseded, one queued", { given: services("superseded", "queued"), want: "running" }],
    ["all succeeded", { given: services("succeeded", "succeeded"), want: "succeeded" }],
    ["succeeded and superseded", { given: services("succeeded", "superseded"), want: "succeeded" }],
    ["all superseded", { given: services("superseded", "superseded"), want: "superseded" }],
    [
      "a cancelled one among terminal ones",
      { given: services("succeeded", "cancelled", "superseded"), want: "cancelled" },
    ],
    ["a failed one wins over cancelled", { given: services("cancelled", "failed", "succeeded"), want: "failed" }],
    ["a failed one while another runs", { given: services("failed", "running"), want: "running" }],
  ];
  test.each(cases)("%s", (_, { given, want }) => {
    expect(deriveJobState(given)).toBe(want);
  });

  test("throws a TypeError for a job without services", () => {
    expect(() => deriveJobState([])).toThrow(
      "[@iac/server] cannot derive a job state: expected at least one service, received none",
    );
  });
});
