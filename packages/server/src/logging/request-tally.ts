import type { Logger } from "../types.js";

/** Counts of answered requests, summarised instead of logged one by one. */
export interface RequestTally {
  /**
   * Counts one answer of a kind from a fixed vocabulary: its status, and its error code if any (summarised as
   * `401 invalid_signature`).
   */
  count(status: number, code?: string | undefined): void;
  /** Writes the pending summary now (on shutdown). */
  flush(): void;
}

/**
 * A flood of requests must not become a flood of log lines, and a busy server must not spend its time writing them:
 * answers are counted by kind and one summary line is written at most every `intervalMs`, only when there was
 * something to count. Kinds come from a fixed vocabulary (status and error code), so the counts stay small whatever
 * the requests contain; they are kept by status and code as given, so counting one builds nothing.
 */
export function createRequestTally(logger: Logger, intervalMs = 10_000): RequestTally {
  let counts = new Map<number, Map<string | undefined, number>>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (counts.size === 0) {
      return;
    }
    const answered: Record<string, number> = {};
    for (const [status, codes] of counts) {
      for (const [code, count] of codes) {
        answered[code === undefined ? String(status) : `${status} ${code}`] = count;
      }
    }
    counts = new Map();
    logger.info({ answered, intervalMs }, "requests");
  };
  return {
    count(status, code) {
      let codes = counts.get(status);
      if (codes === undefined) {
        codes = new Map();
        counts.set(status, codes);
      }
      codes.set(code, (codes.get(code) ?? 0) + 1);
      if (timer === undefined) {
        timer = setTimeout(flush, intervalMs);
        timer.unref();
      }
    },
    flush,
  };
}
