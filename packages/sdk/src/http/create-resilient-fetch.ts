import type { FetchLike, RetryOptions } from "../types.js";
import { RequestTimeoutError } from "./request-timeout-error.js";

/** Options of {@link createResilientFetch}. */
export interface ResilientFetchOptions {
  fetch?: FetchLike | undefined;
  timeoutMs?: number | undefined;
  retry?: RetryOptions | false | undefined;
  /** Whether the request may be sent again (reads and idempotent writes only). */
  canRetry: (request: Request) => boolean;
  /** Time source and attempt timer; replaced in tests so the retry budget can be checked without waiting. */
  clock?: RetryClock | undefined;
}

/** What {@link createResilientFetch} reads the time from and times attempts out with. */
export interface RetryClock {
  /** Current time in milliseconds. */
  now(): number;
  /** A signal that aborts with a `TimeoutError` `DOMException` after `ms` milliseconds. */
  timeout(ms: number): AbortSignal;
}

type RetryPolicy = { [K in keyof RetryOptions]-?: number };

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  maxElapsedMs: 60_000,
};
const SYSTEM_CLOCK: RetryClock = { now: () => Date.now(), timeout: (ms) => AbortSignal.timeout(ms) };
// Gateway answers that mean "the request did not reach or was not processed by the service".
const RETRY_STATUSES = new Set([502, 503, 504]);

function checkNumber(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) {
    throw new RangeError(`[@iac/sdk] invalid ${name}: expected a number >= ${min}, received ${value}`);
  }
  return value;
}

function resolveRetry(retry: RetryOptions | false | undefined): RetryPolicy {
  if (retry === false) {
    return { ...DEFAULT_RETRY, attempts: 1 };
  }
  const attempts = retry?.attempts ?? DEFAULT_RETRY.attempts;
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new RangeError(`[@iac/sdk] invalid retry.attempts: expected an integer >= 1, received ${attempts}`);
  }
  return {
    attempts,
    baseDelayMs: checkNumber("retry.baseDelayMs", retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs, 0),
    maxDelayMs: checkNumber("retry.maxDelayMs", retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs, 0),
    maxElapsedMs: checkNumber("retry.maxElapsedMs", retry?.maxElapsedMs ?? DEFAULT_RETRY.maxElapsedMs, 0),
  };
}

/** Settles with `promise`, or rejects with the signal's reason as soon as `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return raceAbort(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
}

/**
 * Wraps `fetch` with a per-attempt timeout and bounded retries. Only requests accepted by `canRetry` are repeated,
 * and only after a network error, a timeout or a 502/503/504, while `maxElapsedMs` lasts; a retry's timeout is cut
 * to what is left of that budget. Each attempt sends a fresh clone of the request, so bodies are re-sent intact.
 * A caller's own abort signal is honoured and never retried.
 */
export function createResilientFetch(options: ResilientFetchOptions): FetchLike {
  // Looked up per request so a mock installed after the client was created (e.g. msw) is still used.
  const send: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
  const timeoutMs = checkNumber("timeoutMs", options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1);
  const policy = resolveRetry(options.retry);
  const clock = options.clock ?? SYSTEM_CLOCK;

  return async (request) => {
    const attempts = policy.attempts > 1 && options.canRetry(request) ? policy.attempts : 1;
    const startedAt = clock.now();
    // The first attempt always gets the full timeout: the budget bounds retrying, not a single request.
    let attemptTimeoutMs = timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const outcome = await sendOnce(send, request, attemptTimeoutMs, clock);
      const { response } = outcome;
      if (response !== undefined && (attempt >= attempts || !RETRY_STATUSES.has(response.status))) {
        return response;
      }
      const delay = backoff(policy, attempt);
      // Budget left when the next attempt is due; it also caps that attempt, so a late retry cannot overrun it.
      const leftMs = policy.maxElapsedMs - (clock.now() - startedAt) - delay;
      if (attempt >= attempts || leftMs <= 0) {
        if (response !== undefined) {
          return response;
        }
        throw outcome.error;
      }
      // Release the discarded body without waiting: some fetch implementations never settle the cancel promise.
      response?.body?.cancel().catch(() => {});
      await sleep(delay, request.signal);
      attemptTimeoutMs = Math.min(timeoutMs, Math.ceil(leftMs));
    }
  };
}

type Outcome = { response: Response; error?: undefined } | { response?: undefined; error: unknown };

async function sendOnce(send: FetchLike, request: Request, timeoutMs: number, clock: RetryClock): Promise<Outcome> {
  const timeout = clock.timeout(timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  try {
    // A fresh clone per attempt: a body stream can be read only once.
    return { response: await raceAbort(send(new Request(request.clone(), { signal })), signal) };
  } catch (error) {
    if (request.signal.aborted) {
      throw error;
    }
    return { error: timeout.aborted ? new RequestTimeoutError(request, timeoutMs) : error };
  }
}

/** Full jitter: a random delay up to the exponential bound. */
function backoff(policy: RetryPolicy, attempt: number): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}
