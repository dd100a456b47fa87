import { sign } from "@iac/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { GitError } from "../../src/git/run-git.js";
import type { GitMirror, Runner, RunnerOptions } from "../../src/types.js";
import {
  createInfraFixture,
  createStubEngine,
  examplePayload,
  type InfraFixture,
  json,
  PREVIOUS_SECRET,
  pushPayload,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
  webhookRequest,
  ZERO,
} from "../helpers/runner-fixture.js";

describe("POST /webhook", () => {
  let fixture: InfraFixture;
  let engine: StubEngine;
  let runner: Runner;

  const start = (options: Partial<RunnerOptions> = {}): Runner => {
    runner = createRunner(stubRunnerOptions(fixture, engine, options));
    return runner;
  };

  beforeEach(() => {
    fixture = createInfraFixture();
    engine = createStubEngine();
    start();
  });

  afterEach(async () => {
    await runner.close();
    fixture.cleanup();
  });

  describe("signature and request checks", () => {
    it("answers 401 missing_signature without X-Hub-Signature-256", async () => {
      const response = await runner.fetch(
        await webhookRequest(examplePayload("ping"), { event: "ping", signature: null }),
      );
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ code: "missing_signature" });
    });

    it.each([
      ["a signature made with another secret", "wrong-secret"],
      ["a malformed signature", undefined],
    ])("answers 401 invalid_signature for %s", async (_name, secret) => {
      const request = await webhookRequest(examplePayload("ping"), {
        event: "ping",
        ...(secret === undefined ? { signature: "sha256=zz" } : { secret }),
      });
      const response = await runner.fetch(request);
      expect(response.status).toBe(401);
      expect(await json(response)).toEqual({ error: "signature does not match", code: "invalid_signature" });
    });

    it("checks the signature over the raw bytes, so a re-serialised body does not verify", async () => {
      const raw = '{"zen":"Keep it logically awesome.",  "hook_id": 1}';
      const signature = await sign("It's a Secret to Everybody", JSON.stringify(JSON.parse(raw)));
      const response = await runner.fetch(await webhookRequest(raw, { event: "ping", signature }));
      expect(response.status).toBe(401);
    });

    it("accepts a delivery signed with the previous secret during a rotation", async () => {
      const response = await runner.fetch(
        await webhookRequest(examplePayload("ping"), { event: "ping", secret: PREVIOUS_SECRET }),
      );
      expect(response.status).toBe(200);
    });

    it("reads the secrets on every request, so a rotated secret applies without a restart", async () => {
      let secrets = ["old-secret"];
      await runner.close();
      start({ webhookSecrets: () => secrets });
      const before = await runner.fetch(
        await webhookRequest(examplePayload("ping"), { event: "ping", secret: "new-secret" }),
      );
      secrets = ["new-secret", "old-secret"];
      const after = await runner.fetch(
        await webhookRequest(examplePayload("ping"), { event: "ping", secret: "new-secret" }),
      );
      expect([before.status, after.status]).toEqual([401, 200]);
    });

    it("never fails open: with no usable secret every delivery is refused", async () => {
      await runner.close();
      start({ webhookSecrets: () => ["  "] });
      const response = await runner.fetch(await webhookRequest(examplePayload("ping"), { event: "ping" }));
      expect(response.status).toBe(503);
      expect(await json(response)).toMatchObject({ code: "not_configured" });
    });

    it("answers 400 missing_event without X-GitHub-Event", async () => {
      const response = await runner.fetch(await webhookRequest(examplePayload("ping"), { event: null }));
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ code: "missing_event" });
    });

    it.each([["text/plain"], ["application/xml"], [""]])("answers 415 for content type %j", async (type) => {
      const request = await webhookRequest(examplePayload("ping"), { event: "ping" });
      const headers = new Headers(request.headers);
      if (type === "") {
        headers.delete("content-type");
      } else {
        headers.set("content-type", type);
      }
      const response = await runner.fetch(new Request(request, { headers }));
      expect(response.status).toBe(415);
      expect(await json(response)).toMatchObject({ code: "unsupported_media_type" });
    });

    it("answers 400 invalid_json for a signed body that is not JSON", async () => {
      const response = await runner.fetch(await webhookRequest("{not json", { event: "push" }));
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: "request body is not valid JSON", code: "invalid_json" });
    });

    it("answers 400 invalid_payload for a push payload without the fields a push has", async () => {
      const payload = { ref: "refs/heads/main", commits: [{ modified: ["platform/01.postgres/compose.yaml"] }] };
      const response = await runner.fetch(await webhookRequest(payload));
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ code: "invalid_payload" });
    });

    it("answers 413 for a body over the webhook limit", async () => {
      await runner.close();
      start({ settings: testSettings(fixture.repo.url, fixture.dataDir, { webhookMaxBodyBytes: 100 }) });
      const response = await runner.fetch(await webhookRequest({ padding: "x".repeat(200) }, { event: "ping" }));
      expect(response.status).toBe(413);
      expect(await json(response)).toMatchObject({ code: "payload_too_large" });
    });

    it("refuses an unsigned body before reading it, whatever its size", async () => {
      await runner.close();
      start({ settings: testSettings(fixture.repo.url, fixture.dataDir, { webhookMaxBodyBytes: 100 }) });
      const request = await webhookRequest({ padding: "x".repeat(200) }, { event: "ping", signature: null });
      const response = await runner.fetch(request);
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ code: "missing_signature" });
      expect(request.bodyUsed).toBe(false);
    });

    it("answers 502 git_fetch_failed when the pushed commit cannot be read after the fetch", async () => {
      await runner.close();
      const broken: GitMirror = {
        ...fixture.mirror,
        readFile: () => Promise.reject(new GitError("cat-file", 128, false, "object store damaged")),
      };
      start({ git: broken });
      const after = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "services: {}\n" });
      const response = await runner.fetch(await webhookRequest(pushPayload({ before: ZERO, after })));
      expect(response.status).toBe(502);
      expect(await json(response)).toMatchObject({ code: "git_fetch_failed" });
    });
  });

  describe("events", () => {
    it("answers a ping with pong", async () => {
      const response = await runner.fetch(
        await webhookRequest(examplePayload("ping"), { event: "ping", delivery: "d-1" }),
      );
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({ status: "pong", delivery: "d-1" });
    });

    it("accepts GitHub's form-encoded deliveries, whose signature covers the form body", async () => {
      const response = await runner.fetch(await webhookRequest(examplePayload("ping"), { event: "ping", form: true }));
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({ status: "pong" });
    });

    it("ignores events other than push with 202", async () => {
      const response = await runner.fetch(await webhookRequest(examplePayload("issues"), { event: "issues" }));
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({ status: "ignored", event: "issues" });
      expect(engine.starts).toEqual([]);
    });

    it.each([
      ["a tag push", examplePayload("push", 0), /tag push/],
      ["a tag deletion", examplePayload("push", 1), /tag push/],
      [
        "a push to another branch",
        pushPayload({ ref: "refs/heads/feature", before: "a".repeat(40), after: "b".repeat(40) }),
        /feature/,
      ],
      ["a branch deletion", pushPayload({ before: "a".repeat(40), after: ZERO, deleted: true }), /deleted/],
    ])("ignores %s with 202 and a reason", async (_name, payload, reason) => {
      const response = await runner.fetch(await webhookRequest(payload));
      expect(response.status).toBe(202);
      const body = await json(response);
      expect(body).toMatchObject({ status: "ignored" });
      expect(body.reason).toMatch(reason);
      expect(engine.starts).toEqual([]);
    });
  });

  describe("pushes to the followed branch", () => {
    it("syncs the services the push changed, at the pushed commit, for DEPLOY_ENV", async () => {
      const after = fixture.repo.commit({ "platform/01.postgres/compose.yaml": `${"x: 1\n"}` });
      const payload = pushPayload({
        before: fixture.initial,
        after,
        files: { modified: ["platform/01.postgres/compose.yaml", "README.md"] },
      });
      const response = await runner.fetch(await webhookRequest(payload, { delivery: "delivery-1" }));
      expect(response.status).toBe(202);
      expect(await json(response)).toEqual({
        status: "accepted",
        delivery: "delivery-1",
        env: "staging",
        commit: after,
        services: ["postgres"],
        skipped: [expect.objectContaining({ path: "README.md", reason: "outside_layers" })],
        deployments: ["job-1"],
      });
      expect(engine.starts).toEqual([
        { env: "staging", commit: after, services: ["postgres"], trigger: "webhook", delivery: "delivery-1" },
      ]);
    });

    it("accepts a form-encoded push like a JSON one", async () => {
      const after = fixture.repo.commit({ "platform/02.redis/compose.yaml": "v: 2\n" });
      const payload = pushPayload({
        before: fixture.initial,
        after,
        files: { modified: ["platform/02.redis/compose.yaml"] },
      });
      const response = await runner.fetch(await webhookRequest(payload, { form: true }));
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({ status: "accepted", commit: after, services: ["redis"] });
      expect(engine.starts[0]).toMatchObject({ commit: after, services: ["redis"] });
    });

    it("uses the payload's after SHA even when the branch has moved on since (stale branch)", async () => {
      const pushed = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
      fixture.repo.commit({ "platform/02.redis/compose.yaml": "v: 3\n" });
      const payload = pushPayload({
        before: fixture.initial,
        after: pushed,
        files: { modified: ["platform/01.postgres/compose.yaml"] },
      });
      const response = await runner.fetch(await webhookRequest(payload));
      expect(await json(response)).toMatchObject({ commit: pushed, services: ["postgres"] });
      expect(engine.starts[0]?.commit).toBe(pushed);
    });

    it("diffs before..after in git when the payload is incomplete (forced push)", async () => {
      const after = fixture.repo.commit({ "platform/02.redis/compose.yaml": "v: 2\n" });
      // The payload lists nothing useful, as with a force push; git knows what changed.
      const payload = pushPayload({ before: fixture.initial, after, forced: true, files: { modified: ["README.md"] } });
      const response = await runner.fetch(await webhookRequest(payload));
      expect(await json(response)).toMatchObject({ status: "accepted", services: ["redis"] });
    });

    it("treats every file as changed when the branch was created (zero before)", async () => {
      const payload = pushPayload({ before: ZERO, after: fixture.initial, files: { added: ["README.md"] } });
      const response = await runner.fetch(await webhookRequest(payload));
      const body = await json(response);
      expect(body).toMatchObject({ status: "accepted", services: ["postgres", "redis"] });
      expect(body.skipped).toContainEqual(
        expect.objectContaining({ path: "bootstrap/06.iac-runner/compose.yaml", reason: "manual_layer" }),
      );
    });

    it("maps a shared library change to every platform service and never to the runner itself", async () => {
      const after = fixture.repo.commit({
        "libs/common.py": "x = 2\n",
        "bootstrap/06.iac-runner/compose.yaml": "v: 2\n",
      });
      const payload = pushPayload({
        before: fixture.initial,
        after,
        files: { modified: ["libs/common.py", "bootstrap/06.iac-runner/compose.yaml"] },
      });
      const response = await runner.fetch(await webhookRequest(payload));
      expect(await json(response)).toMatchObject({ services: ["postgres", "redis"] });
      expect(engine.starts[0]?.services).toEqual(["postgres", "redis"]);
    });

    it("never syncs the bootstrap layer, even when the repository's config makes it automatic", async () => {
      const after = fixture.repo.commit({
        "iac.config.yaml": "layers:\n  platform: auto\n  bootstrap: auto\n",
        "bootstrap/06.iac-runner/compose.yaml": "v: 2\n",
      });
      const payload = pushPayload({
        before: fixture.initial,
        after,
        files: { added: ["iac.config.yaml"], modified: ["bootstrap/06.iac-runner/compose.yaml"] },
      });
      const response = await runner.fetch(await webhookRequest(payload));
      const body = await json(response);
      expect(body.services ?? []).not.toContain("iac-runner");
      expect(engine.starts.flatMap((request) => request.services)).not.toContain("iac-runner");
    });

    it("answers 200 no_changes with the ignored paths when nothing maps to a service", async () => {
      const after = fixture.repo.commit({ "README.md": "# changed\n" });
      const payload = pushPayload({ before: fixture.initial, after, files: { modified: ["README.md"] } });
      const response = await runner.fetch(await webhookRequest(payload));
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({
        status: "no_changes",
        commit: after,
        ignored: [expect.objectContaining({ path: "README.md" })],
      });
      expect(engine.starts).toEqual([]);
    });

    it("answers a redelivery with duplicate and does not sync twice", async () => {
      const after = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
      const payload = pushPayload({
        before: fixture.initial,
        after,
        files: { modified: ["platform/01.postgres/compose.yaml"] },
      });
      const first = await runner.fetch(await webhookRequest(payload, { delivery: "same" }));
      const second = await runner.fetch(await webhookRequest(payload, { delivery: "same" }));
      expect(first.status).toBe(202);
      expect(second.status).toBe(200);
      expect(await json(second)).toEqual({ status: "duplicate", delivery: "same" });
      expect(engine.starts).toHaveLength(1);
    });

    it("answers 502 git_fetch_failed without details when the fetch fails, and lets a redelivery retry", async () => {
      let failing = true;
      const flaky: GitMirror = {
        ...fixture.mirror,
        fetch: () =>
          failing
            ? Promise.reject(new Error("fatal: could not read from https://token@example.com"))
            : fixture.mirror.fetch(),
      };
      await runner.close();
      start({ git: flaky });
      const after = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
      const payload = pushPayload({
        before: fixture.initial,
        after,
        files: { modified: ["platform/01.postgres/compose.yaml"] },
      });
      const failed = await runner.fetch(await webhookRequest(payload, { delivery: "retry-me" }));
      expect(failed.status).toBe(502);
      const text = await failed.text();
      expect(JSON.parse(text)).toMatchObject({ code: "git_fetch_failed" });
      expect(text).not.toContain("token");
      failing = false;
      const retried = await runner.fetch(await webhookRequest(payload, { delivery: "retry-me" }));
      expect(retried.status).toBe(202);
    });

    it("answers 422 config_invalid when the pushed iac.config.yaml is invalid", async () => {
      const after = fixture.repo.commit({ "iac.config.yaml": "layers:\n  platform: sometimes\n" });
      const payload = pushPayload({ before: fixture.initial, after, files: { added: ["iac.config.yaml"] } });
      const response = await runner.fetch(await webhookRequest(payload));
      expect(response.status).toBe(422);
      expect(await json(response)).toMatchObject({
        code: "config_invalid",
        error: expect.stringContaining("layers.platform"),
      });
    });

    it("answers 202 at the deadline while the fetch goes on, then starts the sync in the background", async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow: GitMirror = { ...fixture.mirror, fetch: () => gate.then(() => fixture.mirror.fetch()) };
      await runner.close();
      start({ git: slow, webhookDeadlineMs: 0 });
      const after = fixture.repo.commit({ "platform/02.redis/compose.yaml": "v: 2\n" });
      const payload = pushPayload({
        before: fixture.initial,
        after,
        files: { modified: ["platform/02.redis/compose.yaml"] },
      });
      const response = await runner.fetch(await webhookRequest(payload, { delivery: "slow" }));
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({
        status: "accepted",
        delivery: "slow",
        commit: after,
        pending: true,
      });
      expect(engine.starts).toEqual([]);
      release();
      await expect.poll(() => engine.starts.length).toBe(1);
      expect(engine.starts[0]).toMatchObject({ commit: after, services: ["redis"] });
    });

    it("reads each push at its own commit, so concurrent pushes at different commits do not interfere", async () => {
      const first = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "v: 2\n" });
      // Only the later commits map docs/** to redis; the first push must still be read with the default config.
      const configured = fixture.repo.commit({
        "iac.config.yaml": "shared:\n  - paths: [docs/**]\n    services: [redis]\n",
      });
      const second = fixture.repo.commit({ "docs/guide.md": "# guide\n" });
      const [a, b] = await Promise.all([
        runner.fetch(
          await webhookRequest(
            pushPayload({
              before: fixture.initial,
              after: first,
              files: { modified: ["platform/01.postgres/compose.yaml"] },
            }),
          ),
        ),
        runner.fetch(
          await webhookRequest(pushPayload({ before: configured, after: second, files: { added: ["docs/guide.md"] } })),
        ),
      ]);
      expect(await json(a)).toMatchObject({ commit: first, services: ["postgres"] });
      expect(await json(b)).toMatchObject({ commit: second, services: ["redis"] });
    });
  });
});
