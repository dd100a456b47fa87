import type { SyncClock } from "../types.js";
import { throwIfCancelled } from "./throw-if-cancelled.js";

/**
 * Sleeps `ms` on `clock`, but ends at once when `signal` aborts (a cancel must not wait out a poll interval, and a
 * clock's `sleep` knows nothing about signals), throwing a `cancelled` error that says `where` the sync was.
 */
export async function sleepUnlessCancelled(
  clock: SyncClock,
  ms: number,
  signal: AbortSignal | undefined,
  where: string,
): Promise<void> {
  throwIfCancelled(signal, where);
  if (signal === undefined) {
    await clock.sleep(ms);
    return;
  }
  let stop: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    stop = () => resolve();
    signal.addEventListener("abort", stop, { once: true });
  });
  try {
    await Promise.race([clock.sleep(ms), aborted]);
  } finally {
    if (stop !== undefined) {
      signal.removeEventListener("abort", stop);
    }
  }
  throwIfCancelled(signal, where);
}
