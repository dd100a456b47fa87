import type { JobReporter, JobStore, Logger, RunnerSettings, SyncEngine } from "../types.js";

/** What the built-in reporters are made from. */
export interface ReporterDeps {
  settings: RunnerSettings;
  store: JobStore;
  engine: SyncEngine;
  logger: Logger;
  fetch: typeof fetch | undefined;
  now: () => number;
}

/**
 * The reporters of a runner built from its settings, in delivery order: each gets every job's `started` and
 * `finished` reports (see `JobReporter`); what one does with them is decided by its own settings and the job's
 * environment config.
 */
export function defaultReporters(_deps: ReporterDeps): JobReporter[] {
  return [];
}
