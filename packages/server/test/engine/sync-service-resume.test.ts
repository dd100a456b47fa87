import { readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
import type { DeployMarker } from "../../src/types.js";
import { composeNamed, createHarness, type Harness, useMsw } from "./harness.js";
import { createDokployTap, type DokployTap } from "./sync-service-helpers.js";

const server = useMsw();

/**
 * An earlier attempt that asked Dokploy for a deploy and then gave up before the deploy finished (here: Dokploy's
 * worker is idle, so the attempt times out with the deploy still queued). Returns the marker it left.
 */
async function attemptLeavingMarker(): Promise<{ h: Harness; tap: DokployTap; marker: DeployMarker }> {
  const tap = createDokployTap();
  const h = await createHarness(server, {
    engine: { fetch: tap.fetch, deployTimeoutMs: 3_000 },
    dokploy: { deploy: { mode: "manual" } },
  });
  const markers: DeployMarker[] = [];
  const first = await h.syncOne("redis", {
    onDeploy: async (marker) => {
      markers.push(marker);
    },
  });
  expect(first.error?.code).toBe("deploy_timeout");
  expect(h.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["queued"]);
  const [marker] = markers;
  if (marker === undefined) {
    throw new Error("the first attempt left no marker");
  }
  expect(marker).toMatchObject({ created: true, knownDeployments: [] });
  tap.calls.length = 0;
  return { h, tap, marker };
}

const statuses = (h: Harness): string[] => h.dokploy.state.deployCalls.map((call) => call.status);

describe("syncService resuming from a deploy marker", () => {
  it("reports the earlier attempt's result without deploying when its hash is already recorded", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.runDeployments();
    const compose = composeNamed(h.dokploy, "redis");
    if (compose !== undefined) {
      compose.env = `${compose.env ?? ""}\nIAC_CONFIG_HASH=${marker.hash}\n`;
    }
    const result = await h.syncOne("redis", { marker });
    expect(result).toMatchObject({ status: "created", hashBefore: marker.hash, hashAfter: marker.hash });
    expect(statuses(h)).toEqual(["done"]);
  });

  it("without a marker, the same recorded hash is a plain skip", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.runDeployments();
    const compose = composeNamed(h.dokploy, "redis");
    if (compose !== undefined) {
      compose.env = `${compose.env ?? ""}\nIAC_CONFIG_HASH=${marker.hash}\n`;
    }
    expect((await h.syncOne("redis")).status).toBe("skipped");
  });

  it("records the hash of a deployment that finished after the attempt gave up, without deploying again", async () => {
    const { h, tap, marker } = await attemptLeavingMarker();
    h.dokploy.runDeployments();
    const result = await h.syncOne("redis", { marker });
    expect(result).toMatchObject({
      status: "created",
      dokployDeploymentId: h.dokploy.state.deployCalls[0]?.deploymentId,
    });
    expect(statuses(h)).toEqual(["done"]);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBe(marker.hash);
    expect(tap.names()).not.toContain("POST compose.update");
  });

  it("waits for a deployment that is still running, then records the hash", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.advance();
    expect(statuses(h)).toEqual(["running"]);
    h.dokploy.configureDeploys({ mode: "auto" });
    const result = await h.syncOne("redis", { marker });
    expect(result.status).toBe("created");
    expect(statuses(h)).toEqual(["done"]);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBe(marker.hash);
  });

  it("waits for a deployment row whose status is not final yet (null)", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.advance();
    const row = h.dokploy.state.deployments.get(h.dokploy.state.deployCalls[0]?.deploymentId ?? "");
    if (row !== undefined) {
      row.status = null;
    }
    h.dokploy.configureDeploys({ mode: "auto" });
    const result = await h.syncOne("redis", { marker });
    expect(result.status).toBe("created");
    expect(statuses(h)).toEqual(["done"]);
  });

  it.each([
    ["error", (h: Harness) => h.dokploy.configureDeploys({ outcome: "error" })],
    ["cancelled (Dokploy restarted)", (h: Harness) => h.dokploy.restart()],
  ])("fails with deploy_failed when the earlier attempt's deployment ended %s", async (_name, end) => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.advance();
    end(h);
    h.dokploy.advance();
    const result = await h.syncOne("redis", { marker });
    expect(result).toMatchObject({ status: "failed", error: { code: "deploy_failed" } });
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBeNull();
  });

  it("drops a deploy that is still queued and deploys once itself", async () => {
    const { h, tap, marker } = await attemptLeavingMarker();
    tap.around = async (call, forward) => {
      const response = await forward();
      // Dokploy's worker was busy until now; it would have started the queued job next.
      if (call.name === "POST compose.cleanQueues") {
        h.dokploy.configureDeploys({ mode: "auto" });
      }
      return response;
    };
    const result = await h.syncOne("redis", { marker });
    expect(result.status).toBe("created");
    expect(statuses(h)).toEqual(["cancelled", "done"]);
    const names = tap.names();
    expect(names.indexOf("POST compose.cleanQueues")).toBeLessThan(names.indexOf("POST compose.deploy"));
  });

  it("deploys normally when the earlier attempt's deploy never reached Dokploy", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.state.deployCalls.length = 0;
    h.dokploy.configureDeploys({ mode: "auto" });
    const result = await h.syncOne("redis", { marker });
    expect(result.status).toBe("created");
    expect(statuses(h)).toEqual(["done"]);
  });

  it("ignores a marker whose hash no longer matches the content and syncs the new content", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.runDeployments();
    h.dokploy.configureDeploys({ mode: "auto" });
    const next = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
    const result = await h.syncOne("redis", { commit: next, marker });
    expect(result.status).toBe("created");
    expect(result.hashAfter).not.toBe(marker.hash);
    expect(statuses(h)).toEqual(["done", "done"]);
    expect(h.dokploy.state.deployCalls[1]?.snapshot?.compose.composeFile).toContain("redis:8");
  });

  it("ignores a marker when another sync recorded a different hash since", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.runDeployments();
    h.dokploy.configureDeploys({ mode: "auto" });
    const compose = composeNamed(h.dokploy, "redis");
    if (compose !== undefined) {
      compose.env = `${compose.env ?? ""}\nIAC_CONFIG_HASH=v2:${"0".repeat(64)}\n`;
    }
    const result = await h.syncOne("redis", { marker });
    // Not settled from the done row (it may be the other sync's): deployed again, then recorded.
    expect(result.status).toBe("created");
    expect(statuses(h)).toEqual(["done", "done"]);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBe(marker.hash);
  });

  it("ignores a marker of another compose", async () => {
    const { h, marker } = await attemptLeavingMarker();
    h.dokploy.configureDeploys({ mode: "auto" });
    h.dokploy.runDeployments();
    const result = await h.syncOne("redis", { marker: { ...marker, composeId: "someone-else" } });
    // Not settled from the marker: the content is deployed again (the stored hash is still empty).
    expect(result.status).toBe("updated");
    expect(statuses(h)).toEqual(["done", "done"]);
  });
});
