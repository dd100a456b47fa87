import { describe, expect, it } from "vitest";
import { probeService } from "../../src/engine/probe-service.js";
import { systemClock } from "../../src/engine/system-clock.js";
import { noopLogger } from "../../src/logging/noop-logger.js";
import type { SyncClock } from "../../src/types.js";

// The probe against a real server is tested through syncService (sync-service-probe.test.ts); these drive its
// schedule with a clock whose sleeps only advance fake time.
const URL_WITH_SECRET = "https://api-staging.example.com/healthz?token=probe-secret";

function recordingClock(): SyncClock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

function answering(answer: (request: Request) => Promise<Response>) {
  const sent: Request[] = [];
  const fetch = async (request: Request) => {
    sent.push(request);
    return answer(request);
  };
  return { sent, fetch };
}

describe("probeService", () => {
  it("fails with config_invalid, sending nothing, when the filled-in URL is not one", async () => {
    const { sent, fetch } = answering(async () => new Response(null, { status: 200 }));
    const probe = probeService({
      fetch,
      url: "https://api staging.example.com/healthz",
      timeoutMs: 1_000,
      clock: systemClock,
      logger: noopLogger,
    });
    await expect(probe).rejects.toMatchObject({
      code: "config_invalid",
      message:
        "[@iac/server] probe: expected an http(s) URL once its placeholders are filled in, received an invalid one",
    });
    expect(sent).toEqual([]);
  });

  it("sends nothing when cancelled before it starts", async () => {
    const { sent, fetch } = answering(async () => new Response(null, { status: 503 }));
    const probe = probeService({
      fetch,
      url: URL_WITH_SECRET,
      timeoutMs: 1_000,
      clock: recordingClock(),
      logger: noopLogger,
      signal: AbortSignal.abort(),
    });
    await expect(probe).rejects.toMatchObject({ code: "cancelled" });
    expect(sent).toEqual([]);
  });

  it("fails as cancelled, not probe_failed, when cancelled during its last try", async () => {
    const controller = new AbortController();
    const { fetch } = answering(async () => {
      controller.abort();
      return new Response(null, { status: 503 });
    });
    const probe = probeService({
      fetch,
      url: URL_WITH_SECRET,
      timeoutMs: 0,
      clock: recordingClock(),
      logger: noopLogger,
      signal: controller.signal,
    });
    await expect(probe).rejects.toMatchObject({ code: "cancelled" });
  });

  it.each(["https://probe-token@api-staging.example.com/healthz", "https://:hunter2@api-staging.example.com/healthz"])(
    "fails with config_invalid, sending nothing, for a URL with credentials (fetch never sends one): %s",
    async (url) => {
      const { sent, fetch } = answering(async () => new Response(null, { status: 200 }));
      const probe = probeService({
        fetch,
        url,
        timeoutMs: 1_000,
        clock: recordingClock(),
        logger: noopLogger,
      });
      await expect(probe).rejects.toMatchObject({
        code: "config_invalid",
        message:
          "[@iac/server] probe GET https://api-staging.example.com/healthz: expected a URL without credentials (user:password@), which fetch refuses",
      });
      expect(sent).toEqual([]);
    },
  );

  it("resolves on the first 2xx answer, after GETting the URL as given", async () => {
    const clock = recordingClock();
    let calls = 0;
    const { sent, fetch } = answering(async () => new Response(null, { status: ++calls < 3 ? 503 : 204 }));
    await probeService({ fetch, url: URL_WITH_SECRET, timeoutMs: 10_000, clock, logger: noopLogger });
    expect(sent.map((request) => `${request.method} ${request.url}`)).toEqual(Array(3).fill(`GET ${URL_WITH_SECRET}`));
    expect(clock.sleeps).toEqual([250, 500]);
  });

  it("waits 250 ms doubling up to 5 s between tries, the last wait cut to the time left, then fails", async () => {
    const clock = recordingClock();
    const { sent, fetch } = answering(async () => new Response(null, { status: 503 }));
    const probe = probeService({ fetch, url: URL_WITH_SECRET, timeoutMs: 30_000, clock, logger: noopLogger });
    const error = await probe.then(
      () => expect.fail("expected the probe to fail"),
      (reason: unknown) => reason,
    );
    expect(clock.sleeps).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000, 5_000, 2_250]);
    expect(sent).toHaveLength(11);
    // The URL is shown without its credentials or query.
    expect(error).toMatchObject({
      code: "probe_failed",
      message:
        "[@iac/server] probe GET https://api-staging.example.com/healthz: expected a 2xx answer within 30000 ms, received HTTP 503 (11 tries)",
    });
  });

  it("fails after one try when no time is left, naming the network error", async () => {
    const clock = recordingClock();
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }),
    });
    const { sent, fetch } = answering(() => Promise.reject(refused));
    await expect(
      probeService({ fetch, url: URL_WITH_SECRET, timeoutMs: 0, clock, logger: noopLogger }),
    ).rejects.toThrow(
      "[@iac/server] probe GET https://api-staging.example.com/healthz: expected a 2xx answer within 0 ms, received none (ECONNREFUSED) (1 try)",
    );
    expect(sent).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("ends a request under way as soon as the signal aborts, with a cancelled error", async () => {
    const controller = new AbortController();
    const { sent, fetch } = answering(
      (request) =>
        new Promise<Response>((_resolve, reject) => {
          request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
          controller.abort();
        }),
    );
    const probe = probeService({
      fetch,
      url: URL_WITH_SECRET,
      timeoutMs: 30_000,
      clock: recordingClock(),
      logger: noopLogger,
      signal: controller.signal,
    });
    await expect(probe).rejects.toMatchObject({
      code: "cancelled",
      message: "[@iac/server] sync cancelled while probing https://api-staging.example.com/healthz",
    });
    expect(sent).toHaveLength(1);
  });
});
