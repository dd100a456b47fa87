import type { JobReporter, JobStore, Logger, RunnerSettings, SyncEngine, VariableLookup } from "../types.js";
import { createVariableLookup } from "../variable-lookup.js";
import { githubFromSettings } from "./github/github-from-settings.js";
import { createNotifyReporter } from "./notify/create-notify-reporter.js";
import { createRollbackReporter } from "./rollback/create-rollback-reporter.js";

/** What the built-in reporters are made from. */
export interface ReporterDeps {
  settings: RunnerSettings;
  store: JobStore;
  engine: SyncEngine;
  logger: Logger;
  fetch: typeof fetch | undefined;
  now: () => number;
  /** Resolves `$NAME` in notification targets; default: the secrets file over the process environment. */
  variables: VariableLookup | undefined;
}

/** The process environment, with the secrets file the settings name (when given in code, not in the environment). */
function runnerVariables(settings: RunnerSettings): VariableLookup {
  const env =
    settings.secretsFile === undefined ? process.env : { ...process.env, IAC_SECRETS_FILE: settings.secretsFile };
  return createVariableLookup(env);
}

/**
 * The reporters of a runner built from its settings, in delivery order: each gets every job's `started` and
 * `finished` reports (see `JobReporter`); what one does with them is decided by its own settings and the job's
 * environment config.
 */
export function defaultReporters(deps: ReporterDeps): JobReporter[] {
  const { settings, logger } = deps;
  const github = githubFromSettings(settings, logger, deps.fetch);
  return [
    // First: a rollback starts while the failure is still being announced, and its own job is reported in turn.
    createRollbackReporter({ store: deps.store, submit: (job) => deps.engine.submit(job), logger, now: deps.now }),
    ...(github === undefined ? [] : [github]),
    createNotifyReporter({
      lookup: deps.variables ?? runnerVariables(settings),
      fetch: deps.fetch,
      publicUrl: settings.publicUrl,
      logger,
    }),
  ];
}
