import type { JobState } from "../types.js";

/** Whether a job or service state is final: nothing changes it afterwards. */
export function isTerminalState(state: JobState): boolean {
  return state === "succeeded" || state === "failed" || state === "superseded" || state === "cancelled";
}
