import { readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { isTransient } from "../../src/engine/sync-error.js";
import type { DeployMarker } from "../../src/types.js";
import { composeNamed, createHarness, POSTGRES_COMPOSE, useMsw } from "./harness.js";
import { contentOf, createDokployTap, restoreState, snapshotState, storedState } from "./sync-service-helpers.js";

const server = useMsw();

// The changed service touches every kind of Dokploy write: compose text, a mount update (init.sql), a mount removal
// (pg.env is no longer referenced), a mount creation (extra.conf), env values.
const CHANGED_COMPOSE = POSTGRES_COMPOSE.replace("postgres:16", "postgres:17")
  .replace("    env_file: ./pg.env\n", "")
  .replace("      - pgdata:", "      - ./extra.conf:/etc/extra.conf:ro\n      - pgdata:");

/**
 * Postgres deployed at the base commit, a commit that changes it, a clean sync of that commit (to learn the call
 * sequence and the new content), and the fake's state before that sync, to replay it with a fault at each call.
 */
async function replayableUpdate() {
  const tap = createDokployTap();
  const h = await createHarness(server, { engine: { fetch: tap.fetch } });
  expect((await h.syncOne("postgres")).status).toBe("created");
  const next = await h.commit({
    "platform/01.postgres/compose.yaml": CHANGED_COMPOSE,
    "platform/01.postgres/init.sql": "create table changed (id int);\n",
    "platform/01.postgres/extra.conf": "shared_buffers = 128MB\n",
  });
  const saved = snapshotState(h.dokploy.state);
  const old = storedState(h.dokploy, "postgres");
  tap.calls.length = 0;
  const clean = await h.syncOne("postgres", { commit: next });
  expect(clean.status).toBe("updated");
  const sequence = tap.names();
  const fresh = storedState(h.dokploy, "postgres");
  expect(fresh.hash).toBe(clean.hashAfter);
  expect(fresh.content).not.toBe(old.content);
  return { h, tap, next, saved, old, fresh, sequence };
}

type Fault = "an HTTP 500" | "a dropped connection" | "a lost answer (applied, then the connection dropped)";
const FAULTS: Fault[] = ["an HTTP 500", "a dropped connection", "a lost answer (applied, then the connection dropped)"];

describe("syncService under Dokploy faults", () => {
  it.each(FAULTS)(
    "never leaves changed content under the old hash, with %s at any call, and a retry converges with one deploy",
    async (fault) => {
      const { h, tap, next, saved, old, fresh, sequence } = await replayableUpdate();
      // Every call of the clean run, in order: reads, the invalidating env write, compose.update, each mount call,
      // the env write, the listing, compose.deploy, the polls, the final read and write.
      expect(sequence).toEqual([
        "GET project.all",
        "GET compose.one",
        "POST compose.saveEnvironment",
        "POST compose.update",
        "POST mounts.update",
        "POST mounts.remove",
        "POST mounts.create",
        "POST compose.saveEnvironment",
        "GET deployment.allByCompose",
        "POST compose.deploy",
        "GET deployment.allByCompose",
        "GET deployment.allByCompose",
        "GET compose.one",
        "POST compose.saveEnvironment",
      ]);

      for (let at = 0; at < sequence.length; at++) {
        const where = `${fault} at call ${at} (${sequence[at]})`;
        restoreState(h.dokploy.state, saved);
        h.dokploy.clearFaults();
        tap.calls.length = 0;
        const violations: string[] = [];
        // Checked after every call, not only at the end: a crash can stop the sync anywhere.
        tap.after = (call) => {
          const now = storedState(h.dokploy, "postgres");
          const ok =
            now.hash === null ||
            (now.hash === old.hash && now.content === old.content) ||
            (now.hash === fresh.hash && now.content === fresh.content);
          if (!ok) {
            violations.push(`after call ${call.index} (${call.name}): hash ${now.hash}`);
          }
        };
        tap.around = async (call, forward) => {
          if (call.index !== at) {
            return forward();
          }
          if (call.name !== sequence[at]) {
            violations.push(`call ${at} is ${call.name}, expected ${sequence[at]}`);
          }
          if (fault === "an HTTP 500") {
            h.dokploy.inject({ status: 500, times: 1 });
            return forward();
          }
          if (fault === "a dropped connection") {
            h.dokploy.inject({ drop: true, times: 1 });
            return forward();
          }
          await forward();
          throw new TypeError("fetch failed");
        };
        let marker: DeployMarker | null = null;
        const onDeploy = async (written: DeployMarker): Promise<void> => {
          marker = written;
        };

        const attempt = await h.syncOne("postgres", { commit: next, onDeploy });
        expect(violations, where).toEqual([]);
        expect(tap.calls.length, where).toBeGreaterThan(at);
        if (attempt.status === "failed") {
          expect(isTransient(attempt.error?.code ?? "cancelled"), `${where}: ${attempt.error?.code}`).toBe(true);
        } else {
          expect(attempt.status, where).toBe("updated");
        }
        const after = storedState(h.dokploy, "postgres");
        if (after.hash === fresh.hash) {
          // The new hash stands only for content a finished deployment ran with.
          const ran = h.dokploy.state.deployCalls.filter((call) => call.status === "done" && call.snapshot !== null);
          const last = ran.at(-1)?.snapshot;
          expect(last && contentOf(last.compose, last.mounts), where).toBe(fresh.content);
        }

        // The engine's retry: same commit, with the marker the attempt left (if it got that far).
        tap.around = undefined;
        const retry = await h.syncOne("postgres", { commit: next, marker, onDeploy });
        expect(violations, where).toEqual([]);
        expect(retry.status, where).toBe("updated");
        expect(storedState(h.dokploy, "postgres"), where).toEqual(fresh);
        const deploys = h.dokploy.state.deployCalls.slice(saved.deployCalls.length);
        expect(
          deploys.filter((call) => call.status !== "cancelled").map((call) => call.status),
          where,
        ).toEqual(["done"]);
      }
    },
  );
});

describe("syncService when compose.deploy loses its answer", () => {
  it("carries on when Dokploy ran the deploy: waits for it, records the hash, and never deploys twice", async () => {
    const tap = createDokployTap();
    const h = await createHarness(server, { engine: { fetch: tap.fetch } });
    tap.around = async (call, forward) => {
      const response = await forward();
      if (call.name === "POST compose.deploy") {
        throw new TypeError("fetch failed");
      }
      return response;
    };
    const result = await h.syncOne("redis");
    expect(result.status).toBe("created");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(result.dokployDeploymentId).toBe(h.dokploy.state.deployCalls[0]?.deploymentId);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBe(result.hashAfter);
    expect(tap.names()).not.toContain("POST compose.cleanQueues");
  });

  it.each([
    ["a dropped connection", { drop: true }],
    ["an HTTP 502", { status: 502 }],
    ["an HTTP 500", { status: 500 }],
  ])(
    "fails with deploy_unconfirmed after %s that never reached Dokploy, cleaning its queue first",
    async (_name, rule) => {
      const tap = createDokployTap();
      const h = await createHarness(server, { engine: { fetch: tap.fetch } });
      h.dokploy.inject({ route: "/compose.deploy", ...rule });
      const result = await h.syncOne("redis");
      expect(result).toMatchObject({ status: "failed", error: { code: "deploy_unconfirmed" } });
      expect(isTransient("deploy_unconfirmed")).toBe(true);
      expect(h.dokploy.state.deployCalls).toHaveLength(0);
      expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBeNull();
      const names = tap.names();
      const deployAt = names.indexOf("POST compose.deploy");
      // A few polls of the confirm window, the clean, and one last look.
      expect(names.slice(deployAt + 1)).toEqual([
        "GET deployment.allByCompose",
        "GET deployment.allByCompose",
        "GET deployment.allByCompose",
        "GET deployment.allByCompose",
        "POST compose.cleanQueues",
        "GET deployment.allByCompose",
      ]);
    },
  );

  it("does not deploy a second time when the lost deploy was still queued and starts during the confirm window", async () => {
    const tap = createDokployTap();
    const h = await createHarness(server, { engine: { fetch: tap.fetch }, dokploy: { deploy: { mode: "manual" } } });
    let polls = 0;
    tap.around = async (call, forward) => {
      if (call.name === "GET deployment.allByCompose" && h.dokploy.state.deployCalls.length > 0) {
        polls += 1;
        // The worker picks the job up only at the third look, then finishes it.
        h.dokploy.advance(polls >= 3 ? 1 : 0);
      }
      const response = await forward();
      if (call.name === "POST compose.deploy") {
        throw new TypeError("fetch failed");
      }
      return response;
    };
    const result = await h.syncOne("redis");
    expect(result.status).toBe("created");
    expect(h.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["done"]);
  });

  it("fails with deploy_unconfirmed, and a retry with the marker deploys once, when the deploy call stays queued but is cleaned", async () => {
    const tap = createDokployTap();
    const h = await createHarness(server, { engine: { fetch: tap.fetch }, dokploy: { deploy: { mode: "manual" } } });
    tap.around = async (call, forward) => {
      const response = await forward();
      if (call.name === "POST compose.deploy") {
        throw new TypeError("fetch failed");
      }
      return response;
    };
    let marker: DeployMarker | null = null;
    const onDeploy = async (written: DeployMarker): Promise<void> => {
      marker = written;
    };
    const first = await h.syncOne("redis", { onDeploy });
    expect(first.error?.code).toBe("deploy_unconfirmed");
    // Queued in Dokploy but never started: cleanQueues dropped it, so it can never run behind the runner's back.
    expect(h.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["cancelled"]);

    tap.around = undefined;
    h.dokploy.configureDeploys({ mode: "auto" });
    const retry = await h.syncOne("redis", { marker, onDeploy });
    expect(retry.status).toBe("created");
    expect(h.dokploy.state.deployCalls.map((call) => call.status)).toEqual(["cancelled", "done"]);
  });
});
