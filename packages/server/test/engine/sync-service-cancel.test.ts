import { readStoredHash } from "@iac/sync";
import { describe, expect, it, vi } from "vitest";
import type { DeployMarker, SyncResult } from "../../src/types.js";
import { composeNamed, createHarness, type Harness, POSTGRES_COMPOSE, useMsw } from "./harness.js";
import { createDokployTap, type DokployTap } from "./sync-service-helpers.js";

const server = useMsw();

/** Postgres deployed at the base commit, and a commit that changes it. */
async function deployedService(deploy: "auto" | "manual" | "stuck" = "auto") {
  const tap = createDokployTap();
  const h = await createHarness(server, { engine: { fetch: tap.fetch } });
  expect((await h.syncOne("postgres")).status).toBe("created");
  h.dokploy.configureDeploys({ mode: deploy });
  const next = await h.commit({
    "platform/01.postgres/compose.yaml": POSTGRES_COMPOSE.replace("postgres:16", "postgres:17"),
  });
  tap.calls.length = 0;
  return { h, tap, next };
}

const writesOf = (tap: DokployTap): string[] => tap.names().filter((name) => name.startsWith("POST "));

/** Starts a sync of `next` whose deployment hangs, and cancels it once the sync waits on the running deployment. */
async function cancelWhileRunning(h: Harness, next: string, force: boolean): Promise<SyncResult> {
  const controller = new AbortController();
  h.clock.gate();
  const running = h.syncOne("postgres", { commit: next, signal: controller.signal });
  await vi.waitFor(
    () => {
      expect(h.dokploy.state.deployCalls[1]?.status).toBe("running");
      expect(h.clock.pending()).toBeGreaterThan(0);
    },
    { interval: 2, timeout: 5_000 },
  );
  controller.abort({ force });
  // The poll sleep is still held by the gated clock: only the abort can end the wait.
  const result = await running;
  h.clock.release();
  return result;
}

describe("syncService cancelled", () => {
  it("makes no Dokploy call at all when cancelled before it starts", async () => {
    const { h, tap, next } = await deployedService();
    const controller = new AbortController();
    controller.abort({ force: true });
    const result = await h.syncOne("postgres", { commit: next, signal: controller.signal });
    expect(result).toMatchObject({
      status: "cancelled",
      error: { code: "cancelled", message: expect.stringContaining("cancelled before it started") },
    });
    expect(result.cancelActions).toBeUndefined();
    expect(tap.calls).toEqual([]);
  });

  it("reports cancelled, not skipped, when the cancel arrives while it reads an up-to-date service", async () => {
    const { h, tap } = await deployedService();
    const controller = new AbortController();
    tap.after = (call) => {
      if (call.name === "GET compose.one") {
        controller.abort({ force: false });
      }
    };
    const result = await h.syncOne("postgres", { signal: controller.signal });
    expect(result.status).toBe("cancelled");
    expect(result.error?.message).toContain("cancelled before it changed anything in Dokploy");
    expect(writesOf(tap)).toEqual([]);
  });

  it("starts no further write once cancelled mid-way, asks Dokploy to drop nothing, and the next sync deploys", async () => {
    const { h, tap, next } = await deployedService();
    const controller = new AbortController();
    tap.after = (call) => {
      if (call.name === "POST compose.update") {
        controller.abort({ force: false });
      }
    };
    const result = await h.syncOne("postgres", { commit: next, signal: controller.signal });
    expect(result.status).toBe("cancelled");
    expect(result.error?.message).toBe(
      "[@iac/server] sync cancelled before compose.saveEnvironment; no deploy had been requested; no config hash was recorded",
    );
    expect(result.cancelActions).toBeUndefined();
    expect(writesOf(tap)).toEqual(["POST compose.saveEnvironment", "POST compose.update"]);
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    // The old hash was removed before the compose changed, so the half-written content is not taken for the old one.
    expect(readStoredHash(composeNamed(h.dokploy, "postgres")?.env)).toBeNull();

    tap.after = undefined;
    expect((await h.syncOne("postgres", { commit: next })).status).toBe("updated");
  });

  it("drops Dokploy's queue when cancelled after the marker was written, without calling compose.deploy", async () => {
    const { h, tap, next } = await deployedService();
    const controller = new AbortController();
    const onDeploy = async (_marker: DeployMarker): Promise<void> => {
      controller.abort({ force: false });
    };
    const result = await h.syncOne("postgres", { commit: next, signal: controller.signal, onDeploy });
    expect(result.status).toBe("cancelled");
    expect(result.cancelActions).toEqual([{ action: "compose.cleanQueues", ok: true }]);
    expect(result.error?.message).toContain("cancelled before compose.deploy; Dokploy's queued work was dropped");
    expect(tap.names()).not.toContain("POST compose.deploy");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("ends the wait for a running deployment at once, drops the queue, and does not kill the build without force", async () => {
    const { h, tap, next } = await deployedService("stuck");
    const result = await cancelWhileRunning(h, next, false);
    const deploymentId = h.dokploy.state.deployCalls[1]?.deploymentId;
    expect(result).toMatchObject({ status: "cancelled", dokployDeploymentId: deploymentId });
    expect(result.error?.message).toBe(
      `[@iac/server] sync cancelled while waiting for deployment ${deploymentId}; Dokploy's queued work was dropped; the running build was not killed (use force); no config hash was recorded`,
    );
    expect(result.cancelActions).toEqual([{ action: "compose.cleanQueues", ok: true }]);
    expect(tap.names()).not.toContain("POST compose.killBuild");
    expect(writesOf(tap).at(-1)).toBe("POST compose.cleanQueues");
    expect(h.dokploy.state.deployCalls[1]?.status).toBe("running");
    expect(readStoredHash(composeNamed(h.dokploy, "postgres")?.env)).toBeNull();
  });

  it("with force, also kills the running build", async () => {
    const { h, tap, next } = await deployedService("stuck");
    const result = await cancelWhileRunning(h, next, true);
    expect(result.cancelActions).toEqual([
      { action: "compose.cleanQueues", ok: true },
      { action: "compose.killBuild", ok: true },
    ]);
    expect(result.error?.message).toContain("Dokploy's queued work was dropped; the running build was killed");
    expect(tap.names().filter((name) => name === "POST compose.killBuild")).toHaveLength(1);
    expect(h.dokploy.state.deployCalls[1]?.status).toBe("error");
    expect(readStoredHash(composeNamed(h.dokploy, "postgres")?.env)).toBeNull();
  });

  it("reports the Dokploy calls of a cancel that failed, with a safe message", async () => {
    const { h, next } = await deployedService("stuck");
    h.dokploy.inject({ route: "/compose.killBuild", status: 500 });
    h.dokploy.inject({ route: "/compose.cleanQueues", status: 503 });
    const result = await cancelWhileRunning(h, next, true);
    expect(result.status).toBe("cancelled");
    expect(result.cancelActions).toEqual([
      {
        action: "compose.cleanQueues",
        ok: false,
        error: expect.stringMatching(/^\[@iac\/server\] Dokploy compose\.cleanQueues: expected success, received 503/),
      },
      {
        action: "compose.killBuild",
        ok: false,
        error: '[@iac/server] Dokploy compose.killBuild: expected success, received 500: "Injected 500"',
      },
    ]);
    expect(result.error?.message).toContain("dropping Dokploy's queued work failed; killing the running build failed");
  });

  it("records no hash when the cancel arrives after the deployment finished", async () => {
    const { h, tap, next } = await deployedService();
    const controller = new AbortController();
    tap.after = (call) => {
      if (call.name === "GET deployment.allByCompose" && h.dokploy.state.deployCalls[1]?.status === "done") {
        controller.abort({ force: false });
      }
    };
    const result = await h.syncOne("postgres", { commit: next, signal: controller.signal });
    expect(result.status).toBe("cancelled");
    expect(result.error?.message).toContain("cancelled before compose.saveEnvironment");
    // Nothing of this sync is left to stop: a force kill would only hit other composes' builds.
    expect(result.error?.message).toContain("the deploy had ended, so Dokploy was asked to stop nothing");
    expect(result.cancelActions).toBeUndefined();
    expect(tap.names()).not.toContain("POST compose.cleanQueues");
    expect(readStoredHash(composeNamed(h.dokploy, "postgres")?.env)).toBeNull();
  });

  it("drops the queue of an earlier attempt's deploy when cancelled before it starts with a marker", async () => {
    const { h, tap, next } = await deployedService();
    const composeId = composeNamed(h.dokploy, "postgres")?.composeId ?? "";
    const controller = new AbortController();
    controller.abort({ force: false });
    const marker: DeployMarker = { composeId, hash: "v2:earlier", knownDeployments: [], created: false };
    const result = await h.syncOne("postgres", { commit: next, signal: controller.signal, marker });
    expect(result.status).toBe("cancelled");
    expect(result.cancelActions).toEqual([{ action: "compose.cleanQueues", ok: true }]);
    expect(tap.names()).toEqual(["POST compose.cleanQueues"]);
  });

  it("ends the confirm window of a lost deploy answer at once", async () => {
    const { h, tap, next } = await deployedService("manual");
    const controller = new AbortController();
    tap.around = async (call, forward) => {
      const response = await forward();
      if (call.name === "POST compose.deploy") {
        h.clock.gate();
        throw new TypeError("fetch failed");
      }
      return response;
    };
    const running = h.syncOne("postgres", { commit: next, signal: controller.signal });
    await vi.waitFor(() => expect(h.clock.pending()).toBeGreaterThan(0), { interval: 2, timeout: 5_000 });
    controller.abort({ force: false });
    const result = await running;
    h.clock.release();
    expect(result.error?.message).toContain("cancelled while checking whether Dokploy received the deploy");
    expect(result.cancelActions).toEqual([{ action: "compose.cleanQueues", ok: true }]);
    // The deploy was queued but never started: the clean dropped it.
    expect(h.dokploy.state.deployCalls[1]?.status).toBe("cancelled");
  });
});
