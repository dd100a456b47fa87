import { describe, onTestFinished } from "vitest";
import type { JobStore } from "../../src/types.js";
import { describeCreateJob } from "./describe-create-job.js";
import { describeJobQueries } from "./describe-job-queries.js";
import { describeKeysAndLeases } from "./describe-keys-and-leases.js";
import { describeLastSuccessfulSync } from "./describe-last-successful-sync.js";
import { describeReports } from "./describe-reports.js";
import { describeTasks } from "./describe-tasks.js";

/** A fresh, empty store and what removes it (its database or folder) once closed. */
export interface StoreUnderTest {
  store: JobStore;
  dispose(): Promise<void>;
}

/** Makes a fresh, empty store; called inside each test. */
export type JobStoreFactory = () => Promise<StoreUnderTest>;

/** Opens a fresh store for the running test and closes and disposes of it when the test ends. */
export type OpenStore = () => Promise<JobStore>;

/**
 * Registers the conformance suite of {@link JobStore}: every backend must pass it unchanged. Each test opens its own
 * store through `factory`, so tests share nothing.
 */
export function describeJobStore(name: string, factory: JobStoreFactory): void {
  const open: OpenStore = async () => {
    const { store, dispose } = await factory();
    onTestFinished(async () => {
      await store.close();
      await dispose();
    });
    return store;
  };
  describe(`${name} conforms to JobStore`, () => {
    describeCreateJob(open);
    describeTasks(open);
    describeJobQueries(open);
    describeLastSuccessfulSync(open);
    describeKeysAndLeases(open);
    describeReports(open);
  });
}
