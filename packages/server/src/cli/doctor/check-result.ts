/** `ok` passes, `warn` passes with a note, `fail` makes doctor exit 1, `skip` could not run (another check failed). */
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

/** One line of `iac-runner doctor`: what was checked, what was found, and for a problem how to fix it. */
export interface CheckResult {
  /** Short name of the dependency, e.g. `Dokploy`. */
  name: string;
  status: CheckStatus;
  message: string;
  fix?: string | undefined;
}

/** One check of `iac-runner doctor`. */
export interface DoctorCheck {
  name: string;
  /** Configuration variables the check depends on; it is skipped when one of them is invalid. */
  needs: readonly string[];
  /** Overrides the common timeout, for a check that waits for another one first. */
  timeoutMs?: number | undefined;
  /** One or more lines; may reject, which reads as a failure. The signal aborts when the check's time is up. */
  run(signal: AbortSignal): Promise<CheckResult[]>;
}
