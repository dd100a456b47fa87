/** Request body bytes held in memory at once, across all requests being read or answered. */
export interface BodyBudget {
  /** Takes `bytes` from the budget; false, taking nothing, when that would pass the limit. */
  reserve(bytes: number): boolean;
  release(bytes: number): void;
  /** Bytes that can still be reserved. */
  readonly available: number;
  /** The whole budget: a body needing more can never be read, however long its client waits. */
  readonly limit: number;
}

export function createBodyBudget(limitBytes: number): BodyBudget {
  let held = 0;
  return {
    reserve(bytes) {
      if (held + bytes > limitBytes) {
        return false;
      }
      held += bytes;
      return true;
    },
    release(bytes) {
      held -= bytes;
    },
    get available() {
      return limitBytes - held;
    },
    limit: limitBytes,
  };
}
