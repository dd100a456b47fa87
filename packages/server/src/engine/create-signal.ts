/** A wake-up call between parts of one process: `wait` resolves on the next `notify` or after `timeoutMs`. */
export interface Signal {
  notify(): void;
  wait(timeoutMs: number): Promise<void>;
}

/** Creates a {@link Signal}. A pending `wait` keeps the process alive, like any timer someone awaits. */
export function createSignal(): Signal {
  let waiters: Array<() => void> = [];
  return {
    notify() {
      const woken = waiters;
      waiters = [];
      for (const wake of woken) {
        wake();
      }
    },
    wait(timeoutMs) {
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
