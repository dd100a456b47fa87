import type { JobState } from "../types.js";
import { JOB_STATES } from "./job-states.js";

/** One row of `SELECT state, count(*) ... GROUP BY state`; PostgreSQL returns counts as strings (bigint). */
export interface StateCountRow {
  state: string;
  count: number | string;
}

/** Jobs per state from grouped rows, with 0 for every state no row names. */
export function toJobCounts(rows: readonly StateCountRow[]): Record<JobState, number> {
  const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
  for (const row of rows) {
    if (row.state in counts) {
      counts[row.state as JobState] = Number(row.count);
    }
  }
  return counts;
}
