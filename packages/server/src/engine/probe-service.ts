import type { FetchLike } from "@iac/sdk";
import type { Logger, SyncClock } from "../types.js";
import { describeNetworkError } from "./describe-network-error.js";
import { sleepUnlessCancelled } from "./sleep-unless-cancelled.js";
import { SyncError } from "./sync-error.js";
import { throwIfCancelled } from "./throw-if-cancelled.js";

/** The first retry comes this soon; the wait then doubles up to {@link MAX_DELAY_MS}. */
const FIRST_DELAY_MS = 250;
const MAX_DELAY_MS = 5_000;
/** One request gets this long (real time) before it counts as unanswered; the probe then tries again. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Options of {@link probeService}. */
export interface ProbeServiceOptions {
  fetch: FetchLike;
  /** The probe URL with its placeholders filled in. */
  url: string;
  /** How long the probe may keep failing (on `clock`). */
  timeoutMs: number;
  clock: SyncClock;
  logger: Logger;
  /** Ends the probe at once (a `cancelled` error) when aborted. */
  signal?: AbortSignal | undefined;
}

/**
 * Checks a deployed service from the outside: GETs `url` until it answers 2xx, retrying every failure (an error
 * status, no answer) with a short backoff (250 ms doubling to 5 s) until `timeoutMs` has passed on `clock`. A
 * container that is still starting fails the first tries, so only the last failure counts.
 *
 * @throws {SyncError} `probe_failed` naming the last status or network error (the URL is shown without its query or
 * credentials); `cancelled` as soon as `signal` aborts.
 */
export async function probeService(options: ProbeServiceOptions): Promise<void> {
  const { clock, logger, signal } = options;
  const shown = displayUrl(options.url);
  const where = `while probing ${shown}`;
  const deadline = clock.now() + options.timeoutMs;
  let delay = FIRST_DELAY_MS;
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(signal, where);
    const answer = await probeOnce(options);
    if (answer.ok) {
      logger.info({ url: shown, status: answer.status, attempts: attempt }, "probe answered");
      return;
    }
    throwIfCancelled(signal, where);
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new SyncError(
        "probe_failed",
        `[@iac/server] probe GET ${shown}: expected a 2xx answer within ${options.timeoutMs} ms, received ${answer.received} (${attempt} ${attempt === 1 ? "try" : "tries"})`,
      );
    }
    logger.debug({ url: shown, received: answer.received, attempt }, "probe not healthy yet, retrying");
    await sleepUnlessCancelled(clock, Math.min(delay, remaining), signal, where);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

type ProbeAnswer = { ok: true; status: number } | { ok: false; received: string };

async function probeOnce(options: ProbeServiceOptions): Promise<ProbeAnswer> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
  try {
    const response = await options.fetch(new Request(options.url, { method: "GET", signal }));
    // Only the status matters: the body is dropped, without waiting (a cancel can stay pending, e.g. under msw).
    response.body?.cancel().catch(() => undefined);
    return response.ok
      ? { ok: true, status: response.status }
      : {
          ok: false,
          received: `HTTP ${response.status}${response.statusText === "" ? "" : ` ${response.statusText}`}`,
        };
  } catch (error) {
    return { ok: false, received: describeNetworkError(error) };
  }
}

/**
 * The URL as logs and results show it: a query may hold a token. A URL with user info is refused before any request:
 * fetch never sends one, so every try would fail alike until the timeout, naming no cause.
 */
function displayUrl(url: string): string {
  if (!URL.canParse(url)) {
    throw new SyncError(
      "config_invalid",
      "[@iac/server] probe: expected an http(s) URL once its placeholders are filled in, received an invalid one",
    );
  }
  const parsed = new URL(url);
  const shown = `${parsed.origin}${parsed.pathname}`;
  if (parsed.username !== "" || parsed.password !== "") {
    throw new SyncError(
      "config_invalid",
      `[@iac/server] probe GET ${shown}: expected a URL without credentials (user:password@), which fetch refuses`,
    );
  }
  return shown;
}
