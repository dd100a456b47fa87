import type { SyncClock } from "../types.js";

/** The real clock: `Date.now` and `setTimeout`. */
export const systemClock: SyncClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
