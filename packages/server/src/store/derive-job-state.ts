import type { JobState } from "../types.js";
import { isTerminalState } from "./is-terminal-state.js";

/** What {@link deriveJobState} reads of one service of a job. */
export interface ServiceProgress {
  state: JobState;
  attempts: number;
}

/**
 * The state of a job, derived from its services' states. Both store backends call this after every change to a
 * service, so a job's state never disagrees with its services.
 *
 * Once every service is terminal: `failed` if any failed, else `cancelled` if any was cancelled, else `superseded`
 * if all were superseded, else `succeeded` (a mix of succeeded and superseded services succeeded). Before that:
 * `running` as soon as any service runs, has had an attempt or is terminal, else `queued`.
 *
 * @throws {TypeError} for a job without services: callers never create one, so it is a programming error.
 */
export function deriveJobState(services: readonly ServiceProgress[]): JobState {
  if (services.length === 0) {
    throw new TypeError("[@iac/server] cannot derive a job state: expected at least one service, received none");
  }
  if (services.every((service) => isTerminalState(service.state))) {
    if (services.some((service) => service.state === "failed")) {
      return "failed";
    }
    if (services.some((service) => service.state === "cancelled")) {
      return "cancelled";
    }
    if (services.every((service) => service.state === "superseded")) {
      return "superseded";
    }
    return "succeeded";
  }
  const started = services.some(
    (service) => service.state === "running" || service.attempts > 0 || isTerminalState(service.state),
  );
  return started ? "running" : "queued";
}
