import { readStoredHash } from "@iac/sync";
import { describe, expect, it, vi } from "vitest";
import { composeNamed, createHarness, useMsw } from "./harness.js";

const server = useMsw();

function statuses(job: { services: Array<{ result: { status: string } | null }> } | undefined): string[] {
  return job?.services.map((entry) => entry.result?.status ?? "none") ?? [];
}

describe("createSyncEngine", () => {
  it("stores a queued job at once and runs it in the background", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const submitted = await h.engine.submit(await h.newJob({ services: ["redis"], trigger: "webhook" }));
    expect(submitted.status).toBe("created");
    if (submitted.status !== "created") {
      return;
    }
    expect(submitted.job.state).toBe("queued");
    expect(submitted.job.services).toEqual([
      expect.objectContaining({ service: "redis", state: "queued", attempts: 0, result: null }),
    ]);
    h.clock.release();
    await h.engine.idle();
    const done = await h.engine.get(submitted.job.id);
    expect(done).toMatchObject({ state: "succeeded", services: [{ state: "succeeded", attempts: 1 }] });
    expect(done?.finishedAt).not.toBeNull();
  });

  it("fetches a commit its mirror does not have yet (a job another runner accepted)", async () => {
    const h = await createHarness(server);
    const unseen = h.repo.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    expect(await h.git.resolveCommit(unseen)).toBeNull();
    const job = await h.sync({ services: ["redis"], commit: unseen, catalogAt: h.base });
    expect(job).toMatchObject({ state: "succeeded", services: [{ attempts: 1, result: { status: "created" } }] });
    expect(composeNamed(h.dokploy, "redis")?.composeFile).toContain("redis:7.4");
  });

  it("fails with git_fetch_failed, after its retries, for a commit the repository does not have", async () => {
    const h = await createHarness(server, { engine: { retryLimit: 1 } });
    const job = await h.sync({ services: ["redis"], commit: `${"0".repeat(39)}1`, catalogAt: h.base });
    expect(job).toMatchObject({
      state: "failed",
      services: [{ attempts: 2, result: { error: { code: "git_fetch_failed" } } }],
    });
    expect(h.dokploy.state.projects.size).toBe(0);
  });

  it("classifies a rejected Dokploy key as dokploy_auth_failed and never retries it", async () => {
    const h = await createHarness(server);
    const engine = await h.makeEngine({ dokploy: { baseUrl: h.dokploy.baseUrl, apiKey: "wrong-key", retry: false } });
    const submitted = await engine.submit(await h.newJob({ services: ["redis"] }));
    await engine.idle();
    const job = submitted.status === "cursor_moved" ? undefined : await engine.get(submitted.job.id);
    expect(job).toMatchObject({
      state: "failed",
      services: [
        { state: "failed", attempts: 1, result: { status: "failed", error: { code: "dokploy_auth_failed" } } },
      ],
    });
  });

  it("retries a transient failure with backoff and succeeds when Dokploy answers again", async () => {
    const h = await createHarness(server);
    const fault = h.dokploy.inject({ route: "/project.all", status: 503, times: 2 });
    const job = await h.sync({ services: ["redis"] });
    expect(fault.hits()).toBe(2);
    expect(job).toMatchObject({ state: "succeeded", services: [{ state: "succeeded", attempts: 3 }] });
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(h.lines.filter((line) => line.msg === "transient failure, retrying later")).toHaveLength(2);
  });

  it("gives up after the retry limit and reports the last failure", async () => {
    const h = await createHarness(server, { engine: { retryLimit: 2 } });
    h.dokploy.inject({ route: "/project.all", status: 503 });
    const job = await h.sync({ services: ["redis"] });
    expect(job).toMatchObject({
      state: "failed",
      services: [{ state: "failed", attempts: 3, result: { error: { code: "dokploy_unreachable" } } }],
    });
  });

  it("reports a job with one failed service as failed, never as succeeded", async () => {
    const h = await createHarness(server, { seedSecret: false });
    const job = await h.sync({ services: ["redis", "postgres"] });
    expect(job.state).toBe("failed");
    expect(statuses(job)).toEqual(["created", "failed"]);
    expect(job.services[1]?.result?.error?.code).toBe("vault_secret_missing");
  });

  it("runs at most `concurrency` services at the same time", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "manual" } } });
    const engine = await h.makeEngine({ concurrency: 2 });
    const head = await h.commit({ "platform/03.minio/compose.yaml": "services:\n  minio:\n    image: minio\n" });
    h.clock.gate();
    const submitted = await engine.submit(await h.newJob({ services: ["redis", "minio", "postgres"], commit: head }));
    await vi.waitFor(() => expect(h.clock.pending()).toBe(2));
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    h.dokploy.configureDeploys({ mode: "auto" });
    h.clock.release();
    await engine.idle();
    const job = submitted.status === "cursor_moved" ? undefined : await engine.get(submitted.job.id);
    expect(statuses(job)).toEqual(["created", "created", "created"]);
    expect(h.dokploy.state.deployCalls).toHaveLength(3);
  });

  it("answers an identical request in flight with the same job instead of running it twice", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const first = await h.engine.submit(await h.newJob({ services: ["redis", "postgres"], trigger: "webhook" }));
    const second = await h.engine.submit(await h.newJob({ services: ["postgres", "redis"], trigger: "deploy" }));
    expect(first.status).toBe("created");
    expect(second.status).toBe("duplicate");
    expect(second.status !== "cursor_moved" && first.status !== "cursor_moved" && second.job.id === first.job.id).toBe(
      true,
    );
    h.clock.release();
    await h.engine.idle();
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    const later = await h.engine.submit(await h.newJob({ services: ["redis", "postgres"], trigger: "deploy" }));
    expect(later.status).toBe("created");
    await h.engine.idle();
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
  });

  it("lets the latest job win: a waiting sync of the same service is superseded by a newer one", async () => {
    const h = await createHarness(server);
    const c2 = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.2\n" });
    const c3 = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:7.4\n" });
    h.clock.gate();
    const first = await h.engine.submit(await h.newJob({ services: ["redis"] }));
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const second = await h.engine.submit(await h.newJob({ services: ["redis"], commit: c2 }));
    const third = await h.engine.submit(await h.newJob({ services: ["redis"], commit: c3 }));
    h.clock.release();
    await h.engine.idle();
    const [one, two, three] = await Promise.all(
      [first, second, third].map((item) => (item.status === "cursor_moved" ? undefined : h.engine.get(item.job.id))),
    );
    expect(one?.state).toBe("succeeded");
    expect(two?.state).toBe("superseded");
    expect(two?.services[0]?.result?.supersededBy).toBe(three?.id);
    expect(three?.state).toBe("succeeded");
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    expect(composeNamed(h.dokploy, "redis")?.composeFile).toContain("redis:7.4");
  });

  it("cancels a queued job at once and a running one without recording a hash", async () => {
    const h = await createHarness(server);
    const engine = await h.makeEngine({ concurrency: 1 });
    h.clock.gate();
    const running = await engine.submit(await h.newJob({ services: ["redis"] }));
    await vi.waitFor(() => expect(h.clock.pending()).toBe(1));
    const queued = await engine.submit(await h.newJob({ services: ["postgres"] }));
    if (running.status === "cursor_moved" || queued.status === "cursor_moved") {
      throw new Error("unexpected cursor");
    }
    const dequeued = await engine.cancel(queued.job.id, false);
    expect(dequeued).toMatchObject({ dequeued: ["postgres"], stopping: [], job: { state: "cancelled" } });
    const stopping = await engine.cancel(running.job.id, false);
    expect(stopping).toMatchObject({ dequeued: [], stopping: ["redis"] });
    h.clock.release();
    await engine.idle();
    const job = await engine.get(running.job.id);
    expect(job).toMatchObject({ state: "cancelled", services: [{ state: "cancelled" }] });
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env ?? null)).toBeNull();
    expect(composeNamed(h.dokploy, "postgres")).toBeUndefined();
  });

  it("takes over a service whose runner died, once its lease expired", async () => {
    const h = await createHarness(server);
    await h.engine.close();
    const submitted = await h.store.createJob(await h.newJob({ services: ["redis"] }));
    const claimed = await h.store.claimTask("dead-runner", Date.now(), 1);
    expect(claimed?.attempt).toBe(1);
    const engine = await h.makeEngine({ store: h.store });
    await engine.idle();
    const job = submitted.status === "cursor_moved" ? undefined : await engine.get(submitted.job.id);
    expect(job).toMatchObject({ state: "succeeded", services: [{ state: "succeeded", attempts: 2 }] });
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("shares one store between two engines: every service runs once", async () => {
    const h = await createHarness(server);
    const other = await h.makeEngine({ store: h.store });
    const head = await h.commit({ "platform/03.minio/compose.yaml": "services:\n  minio:\n    image: minio\n" });
    const submitted = await other.submit(await h.newJob({ services: ["redis", "minio", "postgres"], commit: head }));
    await Promise.all([h.engine.idle(), other.idle()]);
    const job = submitted.status === "cursor_moved" ? undefined : await h.engine.get(submitted.job.id);
    expect(statuses(job)).toEqual(["created", "created", "created"]);
    expect(h.dokploy.state.deployCalls).toHaveLength(3);
  });

  it("waits for a job to end, or answers with it as it is after the timeout", async () => {
    const h = await createHarness(server);
    h.clock.gate();
    const submitted = await h.engine.submit(await h.newJob({ services: ["redis"] }));
    if (submitted.status === "cursor_moved") {
      throw new Error("unexpected cursor");
    }
    const early = await h.engine.wait(submitted.job.id, 50);
    expect(early?.state).toBe("running");
    const waiting = h.engine.wait(submitted.job.id, 60_000);
    h.clock.release();
    expect((await waiting)?.state).toBe("succeeded");
    expect(await h.engine.wait("no-such-job", 10)).toBeUndefined();
  });

  it("refuses new jobs once closed", async () => {
    const h = await createHarness(server);
    await h.engine.close();
    await expect(h.engine.submit(await h.newJob({ services: ["redis"] }))).rejects.toThrow(/shutting down/);
  });
});
