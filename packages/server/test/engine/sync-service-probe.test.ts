import { readStoredHash } from "@iac/sync";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { DeployMarker } from "../../src/types.js";
import { CONFIG, composeNamed, createHarness, type Harness, useMsw } from "./harness.js";
import { type ProbeServer, probeConfig, serveProbe } from "./probe-server.js";

const server = useMsw();

/** A harness whose redis has a probe at a loopback server, and the commit that configures it. */
async function probedHarness(): Promise<{ h: Harness; probe: ProbeServer; at: string }> {
  const probe = await serveProbe(server);
  onTestFinished(() => probe.close());
  const h = await createHarness(server);
  const at = await h.commit({ "iac.config.yaml": probeConfig(CONFIG, probe.origin) });
  return { h, probe, at };
}

const storedHash = (h: Harness): string | null => readStoredHash(composeNamed(h.dokploy, "redis")?.env);

describe("syncService with a probe", () => {
  it("probes the filled-in URL once the deploy is done, and records the hash when it answers 2xx", async () => {
    const { h, probe, at } = await probedHarness();
    const seen: Array<{ deploy: string | undefined; hash: string | null }> = [];
    probe.onRequest = () => seen.push({ deploy: h.dokploy.state.deployCalls[0]?.status, hash: storedHash(h) });
    const result = await h.syncOne("redis", { commit: at });
    expect(result.status).toBe("created");
    expect(probe.requests).toEqual(["/redis-staging/staging"]);
    // Probed after the deployment ended and before the hash was recorded.
    expect(seen).toEqual([{ deploy: "done", hash: null }]);
    expect(storedHash(h)).toBe(result.hashAfter);
  });

  it("keeps probing with a backoff while the service answers errors, then records the hash", async () => {
    const { h, probe, at } = await probedHarness();
    probe.statuses = [503, 502, 500, 204];
    const result = await h.syncOne("redis", { commit: at });
    expect(result.status).toBe("created");
    expect(probe.requests).toHaveLength(4);
    expect(storedHash(h)).toBe(result.hashAfter);
  });

  it("fails with probe_failed after timeoutSeconds, records no hash, and the next sync deploys again", async () => {
    const { h, probe, at } = await probedHarness();
    probe.statuses = [503];
    const failed = await h.syncOne("redis", { commit: at });
    expect(failed).toMatchObject({ status: "failed", error: { code: "probe_failed" } });
    // Tries at 0, 0.25, 0.75, 1.75, 3.75 and 5 s on the test clock: the backoff doubles and the last try is at the limit.
    expect(probe.requests).toHaveLength(6);
    expect(failed.error?.message).toBe(
      `[@iac/server] probe GET ${probe.origin}/redis-staging/staging: expected a 2xx answer within 5000 ms, received HTTP 503 Service Unavailable (6 tries)`,
    );
    expect(failed.dokployDeploymentId).toBe(h.dokploy.state.deployCalls[0]?.deploymentId);
    expect(h.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["done"]);
    expect(storedHash(h)).toBeNull();

    probe.statuses = [200];
    const again = await h.syncOne("redis", { commit: at });
    expect(again.status).toBe("updated");
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    expect(storedHash(h)).toBe(again.hashAfter);
  });

  it("lets the next attempt of a sync that stopped while probing probe again, without deploying again", async () => {
    const { h, probe, at } = await probedHarness();
    probe.statuses = [503];
    let marker: DeployMarker | undefined;
    const first = await h.syncOne("redis", {
      commit: at,
      onDeploy: async (saved) => {
        marker = saved;
      },
    });
    expect(first.error?.code).toBe("probe_failed");

    // A runner that died while probing leaves its marker; the next attempt settles that deploy, then probes.
    probe.statuses = [200];
    const resumed = await h.syncOne("redis", { commit: at, marker });
    expect(resumed.status).toBe("created");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(probe.requests).toHaveLength(7);
    expect(storedHash(h)).toBe(resumed.hashAfter);
  });

  it("names the network error when nothing answers, never the URL's query", async () => {
    const { h, probe, at } = await probedHarness();
    await probe.close();
    const failed = await h.syncOne("redis", { commit: at });
    expect(failed.error?.code).toBe("probe_failed");
    expect(failed.error?.message).toContain("received none (ECONNREFUSED)");
    expect(failed.error?.message).not.toContain("probe-secret");
    expect(JSON.stringify(h.lines)).not.toContain("probe-secret");
  });

  it("stops probing at once when cancelled, asks Dokploy for nothing (even with force), and records no hash", async () => {
    const { h, probe, at } = await probedHarness();
    probe.statuses = [503];
    // From the first probe on, the backoff sleep is held: only the cancel can end it.
    probe.onRequest = () => h.clock.gate();
    const controller = new AbortController();
    const running = h.syncOne("redis", { commit: at, signal: controller.signal });
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1), { interval: 2, timeout: 5_000 });
    controller.abort({ force: true });
    const result = await running;
    h.clock.release();
    expect(result).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
    expect(result.error?.message).toContain(`cancelled while probing ${probe.origin}/redis-staging/staging`);
    expect(result.error?.message).toContain("the deploy had ended, so Dokploy was asked to stop nothing");
    expect(result.cancelActions).toBeUndefined();
    expect(probe.requests).toHaveLength(1);
    expect(storedHash(h)).toBeNull();
  });

  it("sends no request for a service without a probe", async () => {
    const { h, probe, at } = await probedHarness();
    expect((await h.syncOne("postgres", { commit: at })).status).toBe("created");
    expect(probe.requests).toEqual([]);
  });
});

describe("sync engine with a probe", () => {
  it("lends the work slot while probing: another service syncs meanwhile with one slot", async () => {
    const { h, probe, at } = await probedHarness();
    const engine = await h.makeEngine({ concurrency: 1 });
    const release = probe.hold();
    const redis = await engine.submit(await h.newJob({ services: ["redis"], commit: at }));
    await vi.waitFor(() => expect(probe.requests).toHaveLength(1), { interval: 2, timeout: 5_000 });
    const postgres = await engine.submit(await h.newJob({ services: ["postgres"], commit: at }));
    if (!("job" in redis) || !("job" in postgres)) {
      throw new Error("jobs without a cursor never move one");
    }
    await vi.waitFor(async () => expect((await engine.get(postgres.job.id))?.state).toBe("succeeded"), {
      interval: 5,
      timeout: 10_000,
    });
    expect((await engine.get(redis.job.id))?.state).toBe("running");
    release();
    await engine.idle();
    expect((await engine.get(redis.job.id))?.state).toBe("succeeded");
  });

  it("does not retry probe_failed: the service fails after one attempt", async () => {
    const { h, probe, at } = await probedHarness();
    probe.statuses = [500];
    const job = await h.sync({ services: ["redis"], commit: at });
    expect(job.state).toBe("failed");
    expect(job.services[0]).toMatchObject({
      state: "failed",
      attempts: 1,
      result: { error: { code: "probe_failed" } },
    });
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });
});
