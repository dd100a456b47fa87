import type { ClaimedReport, JobReporter, Logger, ReporterProgress, ReportOutcome } from "../types.js";
import { ReportPartial, ReportRefused } from "./report-refused.js";

/** Failed attempts in a row after which a reporter gives up on a job's phase (about an hour of backoff in all). */
export const MAX_REPORT_ATTEMPTS = 10;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 10 * 60_000;

/** How one reporter's attempt at one job ended, for logs and metrics. */
export type DeliveryOutcome = "delivered" | "retrying" | "refused" | "gave_up";

const NOT_STARTED: ReporterProgress = { phase: null, memo: null, attempts: 0 };

/** Backoff before attempt `attempts + 1`: 5 s, 10 s, 20 s … capped at 10 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers the due phase of one claimed job to every reporter that has not had it, each on its own: one failing
 * reporter never holds back another, and what each achieved is kept. Returns what to save: the phase is `sent` once
 * every reporter is done with it (delivered, refused or given up after {@link MAX_REPORT_ATTEMPTS}); otherwise the
 * job comes back after the backoff of its most-tried pending reporter.
 */
export async function deliverReports(
  claimed: ClaimedReport,
  reporters: readonly JobReporter[],
  now: () => number,
  logger: Logger,
  onOutcome?: (reporter: string, outcome: DeliveryOutcome) => void,
): Promise<ReportOutcome> {
  const { phase, job, environment } = claimed;
  const progress = { ...claimed.progress };
  const report = { phase, job, environment };
  let pendingAttempts = 0;
  for (const reporter of reporters) {
    const before = progress[reporter.name] ?? NOT_STARTED;
    // Delivered or given up already. A reporter is never past the due phase: `finished` is only due once the job
    // ended, and a job never leaves an end state.
    if (before.phase === phase) {
      continue;
    }
    let outcome: DeliveryOutcome;
    try {
      const memo = await reporter.deliver(report, before.memo);
      progress[reporter.name] = { phase, memo, attempts: 0 };
      outcome = "delivered";
    } catch (error) {
      const attempts = before.attempts + 1;
      const memo = error instanceof ReportPartial ? error.memo : before.memo;
      const refused = error instanceof ReportRefused;
      const givenUp = refused || attempts >= MAX_REPORT_ATTEMPTS;
      // Given up counts as done with the phase, so the job's reports move on; the memo stays for the next phase.
      progress[reporter.name] = givenUp ? { phase, memo, attempts: 0 } : { phase: before.phase, memo, attempts };
      outcome = refused ? "refused" : givenUp ? "gave_up" : "retrying";
      const line = { reporter: reporter.name, job: job.id, env: job.env, phase, attempts, err: error };
      if (givenUp) {
        logger.error(line, refused ? "report refused; not retried" : "report given up after repeated failures");
      } else {
        pendingAttempts = Math.max(pendingAttempts, attempts);
        logger.warn({ ...line, retryInMs: retryDelayMs(attempts) }, "report failed; retrying later");
      }
    }
    onOutcome?.(reporter.name, outcome);
  }
  return pendingAttempts === 0
    ? { sent: phase, progress, notBefore: 0 }
    : {
        sent: claimed.phase === "finished" ? "started" : "none",
        progress,
        notBefore: now() + retryDelayMs(pendingAttempts),
      };
}
