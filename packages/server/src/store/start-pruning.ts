import type { JobStore, Logger } from "../types.js";

const DAY_MS = 24 * 60 * 60 * 1000;
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** Deletes history older than `historyDays` now and every hour after, so the store never grows without bound. */
export function startPruning(store: JobStore, historyDays: number, now: () => number, logger: Logger): () => void {
  const prune = (): void => {
    const at = now();
    store.prune(at - historyDays * DAY_MS, at).then(
      (deleted) => {
        if (deleted > 0) {
          logger.info({ deleted, historyDays }, "old jobs pruned");
        }
      },
      (error: unknown) => logger.warn({ err: error }, "pruning the job history failed"),
    );
  };
  prune();
  const timer = setInterval(prune, PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
