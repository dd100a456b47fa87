import type { EnvironmentConfig } from "@iac/sync";
import type { ClaimedReport, ReporterProgress, SyncJob } from "../types.js";
import { isTerminalState } from "./is-terminal-state.js";
import type { ReportRow } from "./report-queries.js";
import type { ReadJson } from "./store-rows.js";

/**
 * Jobs stored before the runner knew of rollback, drift correction and notifications hold environments without
 * them; those read as their defaults.
 */
const FEEDBACK_DEFAULTS = { rollback: "off", reconcile: "report", notify: [] } as const;

/** The public form of a claimed job's reports. */
export function toClaimedReport(row: ReportRow, job: SyncJob, readJson: ReadJson): ClaimedReport {
  const stored = readJson(row.environment) as Partial<EnvironmentConfig>;
  return {
    phase: isTerminalState(job.state) ? "finished" : "started",
    job,
    environment: { ...FEEDBACK_DEFAULTS, ...stored } as EnvironmentConfig,
    progress: row.report_progress === null ? {} : (readJson(row.report_progress) as Record<string, ReporterProgress>),
  };
}
