/**
 * The engine's work slots: how many syncs of one process talk to Dokploy at the same time. A sync that waits for its
 * deploy gives its slot back and queues for one when the wait ends; those queued are served in order, before any new
 * sync is claimed, so a finished deploy is recorded before more work starts.
 */
export interface Slots {
  /** Takes a slot when one is free and nobody queues for one; false otherwise. */
  tryTake(): boolean;
  /** Resolves once the caller holds a slot. */
  take(): Promise<void>;
  /** Hands the caller's slot to the first one queued, or frees it. */
  give(): void;
}

/** Creates `count` {@link Slots}. */
export function createSlots(count: number): Slots {
  // A slot given back while someone queues goes straight to them, so a free slot means nobody queues.
  let free = count;
  const queued: Array<() => void> = [];
  return {
    tryTake() {
      if (free === 0) {
        return false;
      }
      free -= 1;
      return true;
    },
    take() {
      if (free > 0) {
        free -= 1;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => queued.push(resolve));
    },
    give() {
      const next = queued.shift();
      if (next === undefined) {
        free += 1;
      } else {
        next();
      }
    },
  };
}
