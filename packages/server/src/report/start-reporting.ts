import type { ClaimedReport, JobReporter, JobStore, Logger } from "../types.js";
import { type DeliveryOutcome, deliverReports } from "./deliver-reports.js";

/** Jobs whose reports one runner delivers at once: a slow target holds back only its own job. */
const PARALLEL_JOBS = 4;
/**
 * How long a claimed job's reports stay with this runner. Each request has its own timeout well below it; a runner
 * that dies mid-delivery leaves the job to another (or to itself after a restart) once it ran out.
 */
const REPORT_LEASE_MS = 2 * 60_000;
const DEFAULT_INTERVAL_MS = 1_000;
/** How long `stop()` waits for deliveries under way; what is left is delivered again later (at least once). */
const STOP_GRACE_MS = 5_000;

/** Options of {@link startReporting}. */
export interface ReportingOptions {
  store: JobStore;
  reporters: readonly JobReporter[];
  /** Holder name of this runner in the store's report leases. */
  holder: string;
  logger: Logger;
  now: () => number;
  /** How often the store is asked for due reports (default 1 s); `wake()` asks at once. */
  intervalMs?: number | undefined;
  onOutcome?: ((reporter: string, outcome: DeliveryOutcome) => void) | undefined;
}

/** The running report loop. */
export interface Reporting {
  /** Looks for due reports now (a job was created or ended in this process). */
  wake(): void;
  /** Stops claiming and waits a little for deliveries under way. */
  stop(): Promise<void>;
}

/**
 * Delivers the reports of every job (GitHub statuses, notifications, rollbacks) from the store, apart from the
 * deploys: a report that fails is retried with backoff and never delays or fails a sync. Jobs are claimed from the
 * store with a lease, so runners sharing a store never deliver one job's report twice at the same time, and a job
 * whose runner died mid-delivery is picked up again.
 */
export function startReporting(options: ReportingOptions): Reporting {
  const { store, reporters, holder, logger, now } = options;
  const active = new Set<Promise<void>>();
  let stopped = false;
  let pumping = false;
  let again = false;

  const deliver = async (claimed: ClaimedReport): Promise<void> => {
    const outcome = await deliverReports(claimed, reporters, now, logger, options.onOutcome);
    if (!(await store.saveReport(claimed.job.id, holder, outcome))) {
      logger.warn({ job: claimed.job.id }, "report progress not saved: the job's lease ran out and was taken over");
    }
  };

  const pump = (): void => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    void (async () => {
      do {
        again = false;
        while (!stopped && active.size < PARALLEL_JOBS) {
          const claimed = await store.claimReport(holder, now(), REPORT_LEASE_MS);
          if (claimed === undefined) {
            break;
          }
          const work: Promise<void> = deliver(claimed)
            .catch((error: unknown) => logger.error({ err: error, job: claimed.job.id }, "delivering reports failed"))
            .finally(() => {
              active.delete(work);
              pump();
            });
          active.add(work);
        }
      } while (again && !stopped);
    })()
      .catch((error: unknown) => logger.error({ err: error }, "claiming reports from the store failed"))
      .finally(() => {
        pumping = false;
      });
  };

  const timer = setInterval(pump, options.intervalMs ?? DEFAULT_INTERVAL_MS);
  timer.unref();
  pump();

  return {
    wake: pump,
    async stop() {
      stopped = true;
      clearInterval(timer);
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, STOP_GRACE_MS);
        graceTimer.unref();
      });
      await Promise.race([Promise.all(active), grace]).finally(() => clearTimeout(graceTimer));
    },
  };
}
