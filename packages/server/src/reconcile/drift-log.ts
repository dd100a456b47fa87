import type { DriftRoundReport, DriftState, EnvironmentDrift, Logger } from "../types.js";

const DRIFTING: ReadonlySet<DriftState> = new Set(["drifted", "missing", "not_done"]);

/**
 * Logs changes, not rounds, per environment and service: one warning when a service starts drifting and one line when
 * it is back in sync, and likewise when an environment's rounds start and stop failing. A service that could not be
 * compared (`unknown`, `pending`) keeps what was last known of it.
 */
export function createDriftLog(logger: Logger): (report: DriftRoundReport) => void {
  const drifting = new Set<string>();
  const failing = new Set<string>();
  const logEnvironment = (drift: EnvironmentDrift) => {
    const { env } = drift;
    if (drift.outcome === "failed" && !failing.has(env)) {
      failing.add(env);
      logger.warn({ env, commit: drift.commit, detail: drift.detail }, "drift detection is failing");
    } else if (drift.outcome !== "failed" && failing.delete(env)) {
      logger.info({ env, commit: drift.commit }, "drift detection works again");
    }
    for (const service of drift.services) {
      const key = JSON.stringify([env, service.service]);
      const fields = { env, service: service.service, commit: service.commit, state: service.state };
      if (DRIFTING.has(service.state) && !drifting.has(key)) {
        drifting.add(key);
        logger.warn(
          { ...fields, expectedHash: service.expectedHash, actualHash: service.actualHash, detail: service.detail },
          "service drifted from the synced commit",
        );
      } else if (service.state === "in_sync" && drifting.delete(key)) {
        logger.info(fields, "service is back in sync");
      }
    }
    // A duplicate is a job an earlier round (or runner) submitted and logged.
    for (const correction of drift.corrections.filter(({ status }) => status === "created")) {
      logger.info({ env, ...correction }, "submitted a job to correct drift");
    }
  };
  return (report) => {
    for (const drift of [report, ...report.environments]) {
      logEnvironment(drift);
    }
  };
}
