// Moves jobs of a store through their states the way a runner would, for route tests whose engine never runs jobs.
import type { JobStore, SyncErrorCode, SyncJob, SyncResult } from "../../src/types.js";

/** The runner id the helpers claim services as. */
export const TEST_RUNNER = "route-test-runner";

const LEASE_MS = 10 * 60_000;

/** Claims every queued service of job `id` (they become `running`); fails when the store offers another job's. */
export async function claimJob(store: JobStore, id: string): Promise<SyncJob> {
  for (;;) {
    const task = await store.claimTask(TEST_RUNNER, Date.now(), LEASE_MS);
    if (task === undefined) {
      break;
    }
    if (task.jobId !== id) {
      throw new Error(`claimJob(${id}): the store offered a service of job ${task.jobId} first`);
    }
  }
  return requireJob(store, id);
}

/**
 * Ends every service of job `id` in `state` (claiming queued ones first), as a runner that synced them would. A
 * failure carries `error`, whose message stands for upstream text; `extra` adds to (or replaces) result fields.
 */
export async function finishJob(
  store: JobStore,
  id: string,
  state: "succeeded" | "failed" | "cancelled",
  error: { code: SyncErrorCode; message: string } = { code: "deploy_failed", message: "Dokploy said: build broke" },
  extra: Partial<SyncResult> = {},
): Promise<SyncJob> {
  const claimed = await claimJob(store, id);
  for (const entry of claimed.services) {
    if (entry.state !== "running") {
      continue;
    }
    const result: SyncResult = {
      service: entry.service,
      env: claimed.env,
      commit: claimed.commit,
      status: state === "succeeded" ? "updated" : state,
      ...(state === "succeeded" ? {} : { error }),
      hashBefore: null,
      hashAfter: state === "succeeded" ? "h".repeat(64) : null,
      durationMs: 1,
      ...extra,
    };
    if (!(await store.completeTask(id, entry.service, TEST_RUNNER, state, result, Date.now()))) {
      throw new Error(`finishJob(${id}): ${entry.service} was not held by the test runner`);
    }
  }
  return requireJob(store, id);
}

async function requireJob(store: JobStore, id: string): Promise<SyncJob> {
  const job = await store.getJob(id);
  if (job === undefined) {
    throw new Error(`no job ${id} in the store`);
  }
  return job;
}
