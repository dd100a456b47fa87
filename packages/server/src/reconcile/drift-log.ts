import type { DriftRoundReport, DriftState, Logger } from "../types.js";

const DRIFTING: ReadonlySet<DriftState> = new Set(["drifted", "missing", "not_done"]);

/**
 * Logs changes, not rounds: one warning when a service starts drifting and one line when it is back in sync, and
 * likewise when rounds start and stop failing. A service that could not be compared (`unknown`, `pending`) keeps
 * what was last known of it.
 */
export function createDriftLog(logger: Logger): (report: DriftRoundReport) => void {
  const drifting = new Set<string>();
  let failing = false;
  return (report) => {
    if (report.outcome === "failed" && !failing) {
      logger.warn({ env: report.env, commit: report.commit, detail: report.detail }, "drift detection is failing");
    } else if (report.outcome !== "failed" && failing) {
      logger.info({ env: report.env, commit: report.commit }, "drift detection works again");
    }
    failing = report.outcome === "failed";
    for (const drift of report.services) {
      const fields = { env: report.env, service: drift.service, commit: drift.commit, state: drift.state };
      if (DRIFTING.has(drift.state) && !drifting.has(drift.service)) {
        drifting.add(drift.service);
        logger.warn(
          { ...fields, expectedHash: drift.expectedHash, actualHash: drift.actualHash, detail: drift.detail },
          "service drifted from the synced commit",
        );
      } else if (drift.state === "in_sync" && drifting.delete(drift.service)) {
        logger.info(fields, "service is back in sync");
      }
    }
    // A duplicate is a job an earlier round (or runner) submitted and logged.
    for (const correction of report.corrections.filter(({ status }) => status === "created")) {
      logger.info({ env: report.env, ...correction }, "submitted a job to correct drift");
    }
  };
}
