/**
 * A wake-up call between parts of one process: `wait` resolves on the next `notify` or after `timeoutMs`.
 *
 * A caller that reads some state and then waits for it to change takes `seen()` before the read and passes it to
 * `wait`: a notify that came in between (while the read was awaited) then ends the wait at once instead of being lost.
 */
export interface Signal {
  notify(): void;
  /** How many notifications there have been so far. */
  seen(): number;
  /** Resolves on the next notify, at once if one came after `since` was taken, or after `timeoutMs`. */
  wait(timeoutMs: number, since?: number): Promise<void>;
}

/** Creates a {@link Signal}. A pending `wait` keeps the process alive, like any timer someone awaits. */
export function createSignal(): Signal {
  let waiters: Array<() => void> = [];
  let notified = 0;
  return {
    notify() {
      notified += 1;
      const woken = waiters;
      waiters = [];
      for (const wake of woken) {
        wake();
      }
    },
    seen: () => notified,
    wait(timeoutMs, since = notified) {
      if (since !== notified) {
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done(): void {
          clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== done);
          resolve();
        }
        waiters.push(done);
      });
    },
  };
}
