import type { JobState } from "../types.js";
import { deriveJobState, type ServiceProgress } from "./derive-job-state.js";
import { isTerminalState } from "./is-terminal-state.js";

/** What a job holds before {@link settleJob}. */
export interface JobProgress {
  state: JobState;
  /** Epoch milliseconds; null while the job runs. */
  finishedAt: number | null;
  /** Whether the job was created with a `cursor` (it follows the branch). */
  followsBranch: boolean;
}

/** The job's new state, when it changed. */
export interface JobSettlement {
  state: JobState;
  finishedAt: number | null;
  /** The job just ended with every service succeeded and follows the branch: its commit becomes `synced`. */
  advancesSynced: boolean;
}

/**
 * Re-derives a job from its services after one of them changed; undefined when its state stays the same. Shared by
 * both backends so that when a job ends, and whether it moves the environment's synced commit, is decided once.
 */
export function settleJob(
  job: JobProgress,
  services: readonly ServiceProgress[],
  now: number,
): JobSettlement | undefined {
  const state = deriveJobState(services);
  if (state === job.state) {
    return undefined;
  }
  const terminal = isTerminalState(state);
  return {
    state,
    finishedAt: terminal ? (job.finishedAt ?? now) : null,
    advancesSynced: terminal && job.followsBranch && services.every((service) => service.state === "succeeded"),
  };
}
