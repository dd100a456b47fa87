import type { JobState, SyncEngine } from "../types.js";

const IN_FLIGHT: readonly JobState[] = ["queued", "running"];

/** Names of the services of `env` that have a queued or running job (their stored hash lags by design). */
export async function pendingServices(engine: Pick<SyncEngine, "list">, env: string): Promise<Set<string>> {
  const names = new Set<string>();
  for (const state of IN_FLIGHT) {
    let cursor: string | undefined;
    do {
      const page = await engine.list({ env, state, limit: 100, cursor });
      for (const job of page.jobs) {
        for (const service of job.services) {
          if (IN_FLIGHT.includes(service.state)) {
            names.add(service.service);
          }
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  }
  return names;
}
