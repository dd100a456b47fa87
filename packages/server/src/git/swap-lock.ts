/**
 * Lets reads of a directory run side by side while making its replacement exclusive: a swap waits for the reads in
 * flight to end and holds new ones until it is done, so no read runs in a directory that is half gone.
 */
export interface SwapLock {
  shared<T>(work: () => Promise<T>): Promise<T>;
  /** One swap at a time: the caller serialises them. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
}

export function createSwapLock(): SwapLock {
  let active = 0;
  let swapping: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  return {
    async shared(work) {
      while (swapping !== undefined) {
        await swapping;
      }
      active += 1;
      try {
        return await work();
      } finally {
        active -= 1;
        if (active === 0) {
          drained?.();
        }
      }
    },
    async exclusive(work) {
      let done: () => void = () => undefined;
      swapping = new Promise<void>((resolve) => {
        done = resolve;
      });
      try {
        if (active > 0) {
          await new Promise<void>((resolve) => {
            drained = resolve;
          });
        }
        return await work();
      } finally {
        drained = undefined;
        swapping = undefined;
        done();
      }
    },
  };
}
