import type { DriftReport, DriftState, Logger } from "../types.js";

const DRIFTING: ReadonlySet<DriftState> = new Set(["drifted", "missing", "not_done"]);

/**
 * Logs changes, not rounds: one warning when a service starts drifting and one line when it is back in sync. A
 * service that could not be compared (`unknown`, `pending`) keeps what was last known of it.
 */
export function createDriftLog(logger: Logger): (report: DriftReport) => void {
  const drifting = new Set<string>();
  return (report) => {
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
    for (const correction of report.corrections) {
      logger.info({ env: report.env, ...correction }, "submitted a job to correct drift");
    }
  };
}
