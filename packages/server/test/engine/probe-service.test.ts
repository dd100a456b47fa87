import { describe, expect, it } from "vitest";
import { probeService } from "../../src/engine/probe-service.js";
import { systemClock } from "../../src/engine/system-clock.js";
import { noopLogger } from "../../src/logging/noop-logger.js";

// The probe against a real server is tested through syncService (sync-service-probe.test.ts).
describe("probeService", () => {
  it("fails with config_invalid, sending nothing, when the filled-in URL is not one", async () => {
    const sent: Request[] = [];
    const probe = probeService({
      fetch: async (request) => {
        sent.push(request);
        return new Response(null, { status: 200 });
      },
      url: "https://api staging.example.com/healthz",
      timeoutMs: 1_000,
      clock: systemClock,
      logger: noopLogger,
    });
    await expect(probe).rejects.toMatchObject({ code: "config_invalid" });
    expect(sent).toEqual([]);
  });
});
