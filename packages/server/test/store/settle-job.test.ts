import { describe, expect, test } from "vitest";
import type { ServiceProgress } from "../../src/store/derive-job-state.js";
import { type JobProgress, type JobSettlement, settleJob } from "../../src/store/settle-job.js";

const NOW = 1_000;
const running: JobProgress = { state: "running", finishedAt: null, followsBranch: true };

describe("settleJob", () => {
  const cases: [string, { job: JobProgress; services: ServiceProgress[]; want: JobSettlement | undefined }][] = [
    [
      "no change while a service runs",
      { job: running, services: [{ state: "running", attempts: 1 }], want: undefined },
    ],
    [
      "queued to running",
      {
        job: { ...running, state: "queued" },
        services: [{ state: "running", attempts: 1 }],
        want: { state: "running", finishedAt: null, advancesSynced: false },
      },
    ],
    [
      "ends a branch-following job with every service succeeded and moves synced",
      {
        job: running,
        services: [
          { state: "succeeded", attempts: 1 },
          { state: "succeeded", attempts: 2 },
        ],
        want: { state: "succeeded", finishedAt: NOW, advancesSynced: true },
      },
    ],
    [
      "a succeeded job with a superseded service does not move synced",
      {
        job: running,
        services: [
          { state: "succeeded", attempts: 1 },
          { state: "superseded", attempts: 0 },
        ],
        want: { state: "succeeded", finishedAt: NOW, advancesSynced: false },
      },
    ],
    [
      "a job without a cursor does not move synced",
      {
        job: { ...running, followsBranch: false },
        services: [{ state: "succeeded", attempts: 1 }],
        want: { state: "succeeded", finishedAt: NOW, advancesSynced: false },
      },
    ],
    [
      "a failed job does not move synced",
      {
        job: running,
        services: [{ state: "failed", attempts: 3 }],
        want: { state: "failed", finishedAt: NOW, advancesSynced: false },
      },
    ],
  ];
  test.each(cases)("%s", (_, { job, services, want }) => {
    expect(settleJob(job, services, NOW)).toEqual(want);
  });
});
