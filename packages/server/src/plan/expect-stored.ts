import type { CreateJobResult, StoredJobResult } from "../types.js";

/**
 * The answer to a job whose request cannot be refused by a moved cursor or lane (it set neither, or handled a moved
 * cursor before): created or duplicate. Anything else means the store broke its contract.
 */
export function expectStored(outcome: CreateJobResult): StoredJobResult {
  if (outcome.status === "created" || outcome.status === "duplicate") {
    return outcome;
  }
  throw new Error(`[@iac/server] unexpected answer of the job store to a new job: ${outcome.status}`);
}
