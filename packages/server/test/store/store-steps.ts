import { expect } from "vitest";
import type { ClaimedTask, JobStore, SyncJob } from "../../src/types.js";
import { syncResult } from "./store-fixtures.js";

const LEASE_MS = 60_000;

/** Claims the next task for `runnerId` at `now`, failing the test when there is none. */
export async function claim(store: JobStore, runnerId: string, now: number): Promise<ClaimedTask> {
  const task = await store.claimTask(runnerId, now, LEASE_MS);
  if (task === undefined) {
    expect.fail(`expected a claimable task for ${runnerId} at ${now}, received none`);
  }
  return task;
}

/** Claims the next task and completes it with `state`; returns the task. */
export async function runNext(
  store: JobStore,
  now: number,
  state: "succeeded" | "failed" | "cancelled" = "succeeded",
): Promise<ClaimedTask> {
  const task = await claim(store, "runner-1", now);
  const status = state === "succeeded" ? "updated" : state;
  const done = await store.completeTask(
    task.jobId,
    task.service.name,
    "runner-1",
    state,
    syncResult(task.service.name, status, task.commit),
    now,
  );
  expect(done).toBe(true);
  return task;
}

/** The stored job, failing the test when it is unknown. */
export async function stored(store: JobStore, id: string): Promise<SyncJob> {
  const job = await store.getJob(id);
  if (job === undefined) {
    expect.fail(`expected job ${id} in the store, received none`);
  }
  return job;
}

/** The job of a `created` or `duplicate` result, failing the test on `cursor_moved` or `lane_moved`. */
export function jobOf(result: Awaited<ReturnType<JobStore["createJob"]>>): SyncJob {
  if (!("job" in result)) {
    expect.fail(`expected a job, received ${JSON.stringify(result)}`);
  }
  return result.job;
}
