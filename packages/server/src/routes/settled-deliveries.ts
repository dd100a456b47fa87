import type { SyncJob } from "../types.js";

/**
 * Most deliveries this memory holds at once; past it the least recently used is forgotten (a forgotten delivery is
 * looked up in the store again). An entry is a delivery id, a job id and a time: well under 1 MB in all.
 */
export const SETTLED_DELIVERIES_LIMIT: number = 4096;

/**
 * How long after its job finished a delivery is remembered. No runner prunes a finished job sooner than a day after
 * it finished (`IAC_HISTORY_DAYS` is at least 1), so within this time the store would give the same answer, whatever
 * the settings or clock of the other runners sharing it.
 */
export const SETTLED_DELIVERY_MS: number = 12 * 60 * 60 * 1000;

/**
 * GitHub deliveries whose job ended for good, so that a redelivery of one is answered as a duplicate without reading
 * the store. Only a job that succeeded or was superseded is remembered: that answer can no longer change (a failed or
 * cancelled job runs again when redelivered, a queued or running one may still fail), until the history is pruned.
 *
 * Each delivery is remembered with the verified signature of the push that found its job: a redelivery (GitHub sends
 * the same bytes again) is known by its signature to be that very push, already read whole and found valid, so its
 * commits need not be read again. Anything else under the same delivery id is not recognised and read in full.
 */
export interface SettledDeliveries {
  /**
   * The job of `delivery` if it is remembered with this `signature` and still within {@link SETTLED_DELIVERY_MS} at
   * `now`.
   */
  jobOf(delivery: string, signature: string, now: number): string | undefined;
  /** Remembers the job of `delivery`, signed `signature`, if it ended for good; does nothing for any other job. */
  remember(delivery: string, signature: string, job: SyncJob): void;
  /** Deliveries remembered now. */
  readonly size: number;
}

interface Entry {
  job: string;
  signature: string;
  until: number;
}

export function createSettledDeliveries(limit: number = SETTLED_DELIVERIES_LIMIT): SettledDeliveries {
  // A Map iterates in insertion order: re-inserting on each hit keeps the least recently used first.
  const entries = new Map<string, Entry>();
  return {
    jobOf(delivery, signature, now) {
      const entry = entries.get(delivery);
      if (entry === undefined || entry.signature !== signature) {
        return undefined;
      }
      entries.delete(delivery);
      if (now >= entry.until) {
        return undefined;
      }
      entries.set(delivery, entry);
      return entry.job;
    },
    remember(delivery, signature, job) {
      if ((job.state !== "succeeded" && job.state !== "superseded") || job.finishedAt === null) {
        return;
      }
      entries.delete(delivery);
      entries.set(delivery, { job: job.id, signature, until: Date.parse(job.finishedAt) + SETTLED_DELIVERY_MS });
      if (entries.size > limit) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) {
          entries.delete(oldest.value);
        }
      }
    },
    get size() {
      return entries.size;
    },
  };
}
