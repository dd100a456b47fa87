import { describe, expect, test } from "vitest";
import { createResilientFetch, type RetryClock } from "../src/http/create-resilient-fetch.js";
import { RequestTimeoutError } from "../src/http/request-timeout-error.js";
import { hangingFetch, json, recordFetch } from "./helpers/record-fetch.js";

const fast = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };
const always = (): boolean => true;
const never = (): boolean => false;

/** A clock that moves only on `advance`, firing the attempt timers that fall due; `timeouts` lists each one asked for. */
function manualClock(): RetryClock & { advance(ms: number): void; timeouts: number[] } {
  let now = 0;
  const timers: { at: number; controller: AbortController }[] = [];
  const timeouts: number[] = [];
  return {
    timeouts,
    now: () => now,
    timeout(ms) {
      timeouts.push(ms);
      const controller = new AbortController();
      timers.push({ at: now + ms, controller });
      return controller.signal;
    },
    advance(ms) {
      now += ms;
      for (const timer of timers.filter(({ at }) => at <= now)) {
        timer.controller.abort(new DOMException("timer fired", "TimeoutError"));
      }
    },
  };
}

describe("createResilientFetch", () => {
  test.each([
    [500, 1],
    [501, 1],
    [502, 3],
    [503, 3],
    [504, 3],
    [429, 1],
    [404, 1],
    [200, 1],
  ])("a retryable request answered %i is sent %i time(s)", async (status, calls) => {
    const { fetch, requests } = recordFetch(() => json(status, {}));
    const response = await createResilientFetch({ fetch, retry: fast, canRetry: always })(new Request("https://h/x"));
    expect(response.status).toBe(status);
    expect(requests).toHaveLength(calls);
  });

  test("a request that canRetry rejects is sent once", async () => {
    const { fetch, requests } = recordFetch(() => json(503, {}));
    await createResilientFetch({ fetch, retry: fast, canRetry: never })(new Request("https://h/x", { method: "POST" }));
    expect(requests).toHaveLength(1);
  });

  test("every attempt carries the full request body", async () => {
    const { fetch, requests } = recordFetch((_, index) => (index < 2 ? json(504, {}) : json(200, {})));
    const request = new Request("https://h/x", { method: "POST", body: '{"env":"A=1"}' });
    await createResilientFetch({ fetch, retry: fast, canRetry: always })(request);
    expect(requests.map((sent) => sent.body)).toEqual(['{"env":"A=1"}', '{"env":"A=1"}', '{"env":"A=1"}']);
  });

  test("a network error is retried and rethrown once the attempts are used up", async () => {
    const { fetch, requests } = recordFetch(() => {
      throw new TypeError("fetch failed");
    });
    const send = createResilientFetch({ fetch, retry: { ...fast, attempts: 2 }, canRetry: always });
    await expect(send(new Request("https://h/x"))).rejects.toThrow("fetch failed");
    expect(requests).toHaveLength(2);
  });

  test("a timed-out attempt of a retryable request is retried", async () => {
    let calls = 0;
    const send = createResilientFetch({
      fetch: (request) => (++calls === 1 ? hangingFetch(request) : Promise.resolve(json(200, { ok: true }))),
      timeoutMs: 10,
      retry: fast,
      canRetry: always,
    });
    const response = await send(new Request("https://h/x"));
    expect(await response.json()).toEqual({ ok: true });
    expect(calls).toBe(2);
  });

  test("a timeout without retry rejects with RequestTimeoutError naming the request", async () => {
    const send = createResilientFetch({ fetch: hangingFetch, timeoutMs: 10, retry: false, canRetry: always });
    const error = await send(new Request("https://h/api/compose.one?composeId=secret")).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).message).toBe(
      "[@iac/sdk] GET https://h/api/compose.one timed out: expected a response within 10 ms",
    );
  });

  test("no new attempt starts once maxElapsedMs would be exceeded", async () => {
    const { fetch, requests } = recordFetch(() => json(503, {}));
    const send = createResilientFetch({
      fetch,
      retry: { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 1_000, maxElapsedMs: 0 },
      canRetry: always,
    });
    expect((await send(new Request("https://h/x"))).status).toBe(503);
    expect(requests).toHaveLength(1);
  });

  test.each([
    ["gets the full timeout while the budget lasts", 1_000, 60_000, [30_000, 30_000, 30_000, 30_000], "status 503"],
    ["is cut to what is left of the budget", 22_000, 60_000, [30_000, 30_000, 16_000], "timeout 16000"],
    [
      "is cut even when the budget is shorter than one timeout",
      1_000,
      5_000,
      [30_000, 4_000, 3_000, 2_000],
      "status 503",
    ],
  ])(
    "a retry %s (attempts taking %i ms, maxElapsedMs %i)",
    async (_name, attemptMs, maxElapsedMs, timeouts, outcome) => {
      const clock = manualClock();
      const { fetch, requests } = recordFetch(() => {
        clock.advance(attemptMs);
        return json(503, {});
      });
      const send = createResilientFetch({
        fetch,
        timeoutMs: 30_000,
        retry: { ...fast, attempts: 4, maxElapsedMs },
        canRetry: always,
        clock,
      });
      const result = await send(new Request("https://h/x")).then(
        (response) => `status ${response.status}`,
        (error: unknown) => (error instanceof RequestTimeoutError ? `timeout ${error.timeoutMs}` : error),
      );
      expect(result).toBe(outcome);
      expect(clock.timeouts).toEqual(timeouts);
      expect(requests).toHaveLength(timeouts.length);
    },
  );

  test("a late retry times out when the budget runs out and reports the shortened timeout", async () => {
    const clock = manualClock();
    let calls = 0;
    const send = createResilientFetch({
      fetch: () => {
        // The first answer comes 45 s in; the retry would answer at 65 s, after the 60 s budget.
        clock.advance(++calls === 1 ? 45_000 : 20_000);
        return Promise.resolve(json(calls === 1 ? 503 : 200, {}));
      },
      timeoutMs: 30_000,
      retry: { ...fast, maxElapsedMs: 60_000 },
      canRetry: always,
      clock,
    });
    const error = await send(new Request("https://h/x")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as RequestTimeoutError).timeoutMs).toBe(15_000);
    expect(calls).toBe(2);
  });

  test("an abort by the caller is not retried", async () => {
    let calls = 0;
    const controller = new AbortController();
    const send = createResilientFetch({
      fetch: (request) => {
        calls++;
        controller.abort(new Error("caller gave up"));
        return hangingFetch(request);
      },
      retry: fast,
      canRetry: always,
    });
    await expect(send(new Request("https://h/x", { signal: controller.signal }))).rejects.toThrow("caller gave up");
    expect(calls).toBe(1);
  });

  test("uses the global fetch at request time when none is injected", async () => {
    const { fetch, requests } = recordFetch(() => json(200, {}));
    const send = createResilientFetch({ retry: false, canRetry: always });
    const original = globalThis.fetch;
    globalThis.fetch = fetch as typeof globalThis.fetch;
    try {
      await send(new Request("https://h/x"));
    } finally {
      globalThis.fetch = original;
    }
    expect(requests).toHaveLength(1);
  });

  test.each([
    [{ retry: { attempts: 0 } }, "invalid retry.attempts"],
    [{ retry: { attempts: 1.5 } }, "invalid retry.attempts"],
    [{ retry: { baseDelayMs: -1 } }, "invalid retry.baseDelayMs"],
    [{ timeoutMs: 0 }, "invalid timeoutMs"],
    [{ timeoutMs: Number.NaN }, "invalid timeoutMs"],
  ])("rejects the options %o", (options, message) => {
    expect(() => createResilientFetch({ ...options, canRetry: always })).toThrow(message);
  });
});
