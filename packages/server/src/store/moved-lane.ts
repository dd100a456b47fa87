import type { CreateJobResult, NewJob } from "../types.js";

/**
 * The `lane_moved` answer for the first service of `job.expectedNewest` whose lane's newest job is not the expected
 * one, or undefined when every lane is as expected. `newest` maps the services of `job.expectedNewest` to the id of
 * their lane's newest job, as the store's transaction read it (a lane without jobs is null or absent).
 */
export function movedLane(
  job: NewJob,
  newest: ReadonlyMap<string, string | null>,
): Extract<CreateJobResult, { status: "lane_moved" }> | undefined {
  for (const [service, expected] of Object.entries(job.expectedNewest ?? {})) {
    const found = newest.get(service) ?? null;
    if (found !== expected) {
      return { status: "lane_moved", service, newest: found };
    }
  }
  return undefined;
}
