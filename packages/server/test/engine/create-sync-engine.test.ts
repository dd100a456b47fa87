import { readStoredHash } from "@iac/sync";
import { describe, expect, it, vi } from "vitest";
import { CONFIG, composeNamed, createHarness, useMsw } from "./harness.js";

const server = useMsw();

describe("createSyncEngine", () => {
  it("returns a queued job at once and runs it in the background", async () => {
    const h = await createHarness(server);
    const job = h.engine.start({ env: "staging", commit: h.base, services: ["redis"], trigger: "webhook" });
    expect(job.state).toBe("queued");
    expect(job.results).toEqual([]);
    await h.engine.idle();
    const done = h.engine.get(job.id);
    expect(done?.state).toBe("succeeded");
    expect(done?.finishedAt).toBeDefined();
  });

  const refusals: Array<[string, { services: string[]; env?: string; want: string }]> = [
    ["a service of the manual bootstrap layer", { services: ["iac-runner"], want: "service_manual" }],
    ["a service that does not exist at the commit", { services: ["nope"], want: "service_not_found" }],
    ["an environment the config does not define", { services: ["redis"], env: "qa", want: "config_invalid" }],
    [
      "an environment named like an object property",
      { services: ["redis"], env: "constructor", want: "config_invalid" },
    ],
  ];

  it.each(refusals)("refuses %s without touching Dokploy", async (_name, { services, env, want }) => {
    const h = await createHarness(server);
    const job = await h.sync({ services, ...(env === undefined ? {} : { env }) });
    expect(job.state).toBe("failed");
    expect(job.results[0]).toMatchObject({ status: "failed", error: { code: want } });
    expect(h.dokploy.state.projects.size).toBe(0);
  });

  it("fails with git_fetch_failed for a commit the mirror does not have", async () => {
    const h = await createHarness(server);
    const job = await h.sync({ services: ["redis"], commit: `${"0".repeat(39)}1` });
    expect(job.results[0]?.error?.code).toBe("git_fetch_failed");
  });

  it("classifies a rejected Dokploy key (guard 401 without code) as dokploy_auth_failed", async () => {
    const h = await createHarness(server);
    const engine = h.makeEngine({ dokploy: { baseUrl: h.dokploy.baseUrl, apiKey: "wrong-key", retry: false } });
    const job = engine.start({ env: "staging", commit: h.base, services: ["redis"], trigger: "sync" });
    await engine.idle();
    expect(engine.get(job.id)).toMatchObject({
      state: "failed",
      results: [{ status: "failed", error: { code: "dokploy_auth_failed" } }],
    });
  });

  it.each([
    ["a 503", { status: 503 }],
    ["no answer", { drop: true }],
  ])("classifies %s from Dokploy as dokploy_unreachable", async (_name, fault) => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/project.all", ...fault });
    const job = await h.sync({ services: ["redis"] });
    expect(job.results[0]?.error?.code).toBe("dokploy_unreachable");
  });

  it("reports a job with one failed service as failed, never as succeeded", async () => {
    const h = await createHarness(server);
    h.vault.state.secrets.clear();
    const job = await h.sync({ services: ["redis", "postgres"] });
    expect(job.state).toBe("failed");
    expect(job.results.map((r) => [r.service, r.status])).toEqual([
      ["redis", "created"],
      ["postgres", "failed"],
    ]);
    const finished = h.lines.filter((line) => line.msg === "sync job finished");
    expect(finished).toEqual([
      expect.objectContaining({ level: "error", fields: expect.objectContaining({ state: "failed" }) }),
    ]);
  });

  it("refuses the bootstrap layer even when the repository's config makes it automatic", async () => {
    const h = await createHarness(server);
    const next = await h.commit({ "iac.config.yaml": `layers:\n  platform: auto\n  bootstrap: auto\n${CONFIG}` });
    const job = await h.sync({ services: ["iac-runner"], commit: next });
    expect(job.results[0]).toMatchObject({ status: "failed", error: { code: "service_manual" } });
    expect(h.dokploy.state.projects.size).toBe(0);
  });

  it("runs at most `concurrency` services at the same time", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "manual" } } });
    const engine = h.makeEngine({ concurrency: 2 });
    await h.commit({ "platform/03.minio/compose.yaml": "services:\n  minio:\n    image: minio\n" });
    const head = await h.git.resolveCommit("main");
    h.clock.gate();
    const job = engine.start({
      env: "staging",
      commit: head ?? "",
      services: ["redis", "minio", "postgres"],
      trigger: "sync",
    });
    await vi.waitFor(() => expect(h.clock.pending()).toBe(2));
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    h.dokploy.configureDeploys({ mode: "auto" });
    h.clock.release();
    await engine.idle();
    expect(engine.get(job.id)?.results.map((r) => r.status)).toEqual(["created", "created", "created"]);
    expect(h.dokploy.state.deployCalls).toHaveLength(3);
  });

  it("returns the job already in flight for an identical request instead of running it twice", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const first = h.engine.start({
      env: "staging",
      commit: h.base,
      services: ["redis", "postgres"],
      trigger: "webhook",
    });
    const second = h.engine.start({
      env: "staging",
      commit: h.base,
      services: ["postgres", "redis"],
      trigger: "deploy",
    });
    expect(second.id).toBe(first.id);
    h.clock.release();
    await h.engine.idle();
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    const later = h.engine.start({
      env: "staging",
      commit: h.base,
      services: ["redis", "postgres"],
      trigger: "deploy",
    });
    expect(later.id).not.toBe(first.id);
    await h.engine.idle();
  });

  it("deploys each service once when a push's webhook and its CI /deploy ask for different sets at one commit", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const webhook = h.engine.start({ env: "staging", commit: h.base, services: ["postgres"], trigger: "webhook" });
    const deploy = h.engine.start({
      env: "staging",
      commit: h.base,
      services: ["postgres", "redis"],
      trigger: "deploy",
    });
    expect(deploy.id).not.toBe(webhook.id);
    h.clock.release();
    await h.engine.idle();
    const deployed = h.dokploy.state.deployCalls.map((call) => h.dokploy.state.composes.get(call.composeId)?.name);
    expect(deployed.sort()).toEqual(["postgres", "redis"]);
    // The webhook's sync had not started when the newer request arrived, so the newer one did its work.
    expect(h.engine.get(webhook.id)?.results.map((r) => [r.service, r.status])).toEqual([["postgres", "superseded"]]);
    expect(h.engine.get(deploy.id)?.results.map((r) => [r.service, r.status])).toEqual([
      ["postgres", "created"],
      ["redis", "created"],
    ]);
  });

  it("lets the latest job win: a waiting sync of the same service is superseded by a newer one", async () => {
    const h = await createHarness(server);
    const c2 = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.2\n" });
    const c3 = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    const engine = h.makeEngine({ concurrency: 1 });
    h.clock.gate();
    const a = engine.start({ env: "staging", commit: h.base, services: ["redis"], trigger: "webhook" });
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const b = engine.start({ env: "staging", commit: c2, services: ["redis"], trigger: "webhook" });
    const c = engine.start({ env: "staging", commit: c3, services: ["redis"], trigger: "webhook" });
    h.clock.release();
    await engine.idle();

    expect(engine.get(a.id)?.state).toBe("succeeded");
    expect(engine.get(b.id)).toMatchObject({
      state: "superseded",
      results: [{ service: "redis", status: "superseded", supersededBy: c.id }],
    });
    expect(engine.get(c.id)?.state).toBe("succeeded");
    expect(h.dokploy.state.deployCalls.map((call) => call.title)).toEqual([
      `iac-runner ${h.base.slice(0, 12)}`,
      `iac-runner ${c3.slice(0, 12)}`,
    ]);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBe(engine.get(c.id)?.results[0]?.hashAfter);
  });

  it("keeps a bounded history of finished jobs", async () => {
    const h = await createHarness(server);
    const engine = h.makeEngine({ historyLimit: 2 });
    const ids: string[] = [];
    for (const trigger of ["sync", "deploy", "webhook"] as const) {
      ids.push(engine.start({ env: "staging", commit: h.base, services: ["redis"], trigger }).id);
      await engine.idle();
    }
    expect(ids.map((id) => engine.get(id)?.state)).toEqual([undefined, "succeeded", "succeeded"]);
  });

  it("cancels waiting services on close, lets running ones finish, and refuses later jobs", async () => {
    const h = await createHarness(server);
    const engine = h.makeEngine({ concurrency: 1 });
    h.clock.gate();
    const job = engine.start({ env: "staging", commit: h.base, services: ["redis", "postgres"], trigger: "sync" });
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const closing = engine.close();
    h.clock.release();
    await closing;
    expect(engine.get(job.id)?.results.map((r) => [r.service, r.status, r.error?.code])).toEqual([
      ["redis", "created", undefined],
      ["postgres", "failed", "cancelled"],
    ]);
    const late = engine.start({ env: "staging", commit: h.base, services: ["redis"], trigger: "sync" });
    expect(late).toMatchObject({ state: "failed", results: [{ error: { code: "cancelled" } }] });
  });
});
