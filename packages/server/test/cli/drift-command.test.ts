import { CONFIG_HASH_KEY, readStoredHash } from "@iac/sync";
import { HttpResponse, http } from "msw";
import { describe, expect, it, onTestFinished } from "vitest";
import { driftCommand } from "../../src/cli/drift-command.js";
import { createRunner } from "../../src/create-runner.js";
import { createNodeServer } from "../../src/node-server.js";
import type { DriftReport, RunnerSettings } from "../../src/types.js";
import { captureIo } from "../helpers/capture-io.js";
import { closedUrl } from "../helpers/cli-stack.js";
import {
  createInfraFixture,
  createStubEngine,
  memoryStore,
  SECRET,
  stubRunnerOptions,
  testSettings,
} from "../helpers/runner-fixture.js";
import { serveFakeDokploy } from "../helpers/serve-fake.js";
import { serveHandlers } from "../helpers/serve-handlers.js";
import { syncWithRunner } from "../helpers/sync-with-runner.js";

const TOKEN = "cli-test-api-token-0123456789";
const TAMPERED = `v2:${"f".repeat(64)}`;

/** CLI streams whose requests are not aborted, with the API token unless `env` says otherwise. */
function io(env: Record<string, string | undefined> = { IAC_API_TOKEN: TOKEN }) {
  // The captured text lands on the object captureIo made, so its signal is replaced in place.
  return Object.assign(captureIo(env), { signal: new AbortController().signal });
}

/**
 * A runner on loopback checking drift every 20 ms at the first commit, over the fake Dokploy on loopback where
 * postgres was deployed by the engine's own code (then its stored hash replaced) and redis never was.
 */
async function servedRunner(settings: Partial<RunnerSettings> = {}): Promise<string> {
  const fixture = createInfraFixture();
  const fake = await serveFakeDokploy({ deploy: { mode: "auto" } });
  await syncWithRunner({
    repoUrl: fixture.repo.url,
    commit: fixture.initial,
    services: ["postgres"],
    dokploy: fake.dokploy,
    hashKey: SECRET,
  });
  const compose = [...fake.dokploy.state.composes.values()].find((each) => each.name === "postgres");
  if (compose !== undefined) {
    compose.env = (compose.env ?? "").replace(readStoredHash(compose.env) ?? "", TAMPERED);
    expect(compose.env).toContain(`${CONFIG_HASH_KEY}=${TAMPERED}`);
  }
  const store = await memoryStore();
  await store.initCursor("staging", fixture.initial);
  const runner = await createRunner(
    stubRunnerOptions(fixture, createStubEngine(store), {
      settings: testSettings(fixture.repo.url, fixture.dataDir, {
        dokploy: { baseUrl: fake.dokploy.baseUrl, apiKey: fake.dokploy.apiKey, retry: false },
        reconcileIntervalMs: 20,
        apiToken: TOKEN,
        ...settings,
      }),
    }),
  );
  const node = createNodeServer(runner);
  const address = await node.listen(0, "127.0.0.1");
  onTestFinished(async () => {
    await node.close();
    await fake.close();
    fixture.cleanup();
  });
  return `http://127.0.0.1:${address.port}`;
}

describe("iac-runner drift", () => {
  it("prints a summary line, one line per service and the hashes of a drifted one", async () => {
    const url = await servedRunner();
    let report: DriftReport | undefined;
    await expect
      .poll(async () => {
        const streams = io();
        expect(await driftCommand(["--url", url, "--json"], streams)).toBe(0);
        report = JSON.parse(streams.out) as DriftReport;
        return report.services.map((each) => each.state);
      })
      .toEqual(["drifted", "missing"]);
    const streams = io();
    expect(await driftCommand(["--url", url], streams)).toBe(0);
    expect(streams.err).toBe("");
    const lines = streams.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^staging at commit [0-9a-f]{12}, checked \S+: 1 drifted, 1 missing$/);
    expect(lines[1]).toMatch(
      /^postgres {2}drifted {3}expected v2:[0-9a-f]{12}, Dokploy v2:f{12} {2}postgres config hash changed/,
    );
    expect(lines[2]).toBe("redis     missing   no compose in Dokploy");
    // Production is watched too, though nothing was deployed there.
    expect(lines[3]).toBe("production: idle: no service was deployed to production yet");
    expect(lines).toHaveLength(4);
    expect(report?.services[0]?.actualHash).toBe(TAMPERED);
  });

  it("prints the report of a runner that checks DEPLOY_ENV only (no environments in its answer)", async () => {
    const older = {
      checkedAt: "2026-11-30T14:00:00.000Z",
      env: "staging",
      commit: "a".repeat(40),
      outcome: "ok",
      detail: null,
      services: [],
      corrections: [],
    };
    const served = await serveHandlers(
      (origin) => origin,
      () => [http.get("*/drift", () => HttpResponse.json(older))],
    );
    onTestFinished(() => served.close());
    const json = io();
    expect(await driftCommand(["--url", served.fake, "--json"], json)).toBe(0);
    expect(JSON.parse(json.out)).toEqual({ ...older, environments: [] });
    const text = io();
    expect(await driftCommand(["--url", served.fake], text)).toBe(0);
    expect(text.out).toBe("staging at commit aaaaaaaaaaaa, checked 2026-11-30T14:00:00.000Z: no services\n");
  });

  it("says why there is no report when drift detection is off", async () => {
    const url = await servedRunner({ reconcileIntervalMs: undefined });
    const streams = io();
    expect(await driftCommand(["--url", url], streams)).toBe(0);
    expect(streams.out).toBe("no drift report for staging: drift detection is off: set IAC_RECONCILE_INTERVAL\n");
  });

  it("exits 1 without IAC_API_TOKEN, and when the runner has none or cannot be reached", async () => {
    const url = await servedRunner({ apiToken: undefined });
    const missing = io({});
    expect(await driftCommand(["--url", url], missing)).toBe(1);
    expect(missing.err).toMatch(/IAC_API_TOKEN is not set/);
    const hidden = io();
    expect(await driftCommand(["--url", url], hidden)).toBe(1);
    expect(hidden.err).toMatch(/has no IAC_API_TOKEN configured, so its drift endpoint is off/);
    const closed = await closedUrl();
    const unreachable = io();
    expect(await driftCommand(["--url", closed], unreachable)).toBe(1);
    expect(unreachable.err).toMatch(/cannot reach/);
  });

  it("prints its help, and refuses a missing --url as a usage error", async () => {
    const help = io();
    expect(await driftCommand(["--help"], help)).toBe(0);
    expect(help.out).toMatch(/^Usage: iac-runner drift --url <runner>/);
    await expect(driftCommand([], io())).rejects.toThrow(/--url/);
  });
});
