import type { JobState } from "../types.js";

/** Every state of a job or service, in the order they are shown (`GET /deployments?state=`, `GET /metrics`). */
export const JOB_STATES: readonly JobState[] = ["queued", "running", "succeeded", "failed", "superseded", "cancelled"];
