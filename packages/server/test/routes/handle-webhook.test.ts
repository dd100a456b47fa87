import { join } from "node:path";
import { PLAN_ERRORS, PushEventError, parsePushEvent, sign } from "@iac/sync";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createRunner } from "../../src/create-runner.js";
import { GitError } from "../../src/git/run-git.js";
import { createSqliteStore } from "../../src/store/create-sqlite-store.js";
import type { GitMirror, JobStore, Runner, RunnerOptions } from "../../src/types.js";
import { cleanupTemp, makeTemp } from "../helpers/git-repo.js";
import {
  createInfraFixture,
  createLineLogger,
  createStubEngine,
  examplePayload,
  type InfraFixture,
  json,
  type LoggedLine,
  memoryStore,
  PREVIOUS_SECRET,
  pushPayload,
  SECRET,
  type StubEngine,
  stubRunnerOptions,
  testSettings,
  webhookRequest,
  ZERO,
} from "../helpers/runner-fixture.js";
import { claimJob, finishJob } from "./store-tasks.js";

const POSTGRES = "platform/01.postgres/compose.yaml";
const REDIS = "platform/02.redis/compose.yaml";

/** The message `parsePushEvent` refuses `payload` with. */
function parserMessage(payload: unknown): string {
  try {
    parsePushEvent(payload);
  } catch (error) {
    if (error instanceof PushEventError) {
      return error.message;
    }
    throw error;
  }
  throw new Error("parsePushEvent accepted the payload");
}

describe("POST /webhook", () => {
  let fixture: InfraFixture;
  let store: JobStore;
  let engine: StubEngine;
  let runner: Runner;

  const start = async (options: Partial<RunnerOptions> = {}): Promise<Runner> => {
    runner = await createRunner(stubRunnerOptions(fixture, engine, options));
    return runner;
  };

  /** Sends a signed push of `before..after` to the branch. */
  const push = async (before: string, after: string, options: { delivery?: string; files?: string[] } = {}) =>
    runner.fetch(
      await webhookRequest(
        pushPayload({ before, after, files: { modified: options.files ?? [] } }),
        options.delivery === undefined ? {} : { delivery: options.delivery },
      ),
    );

  const open = async (): Promise<void> => {
    store = await memoryStore();
    engine = createStubEngine(store);
    await start();
  };

  // One repository for the file: each test starts with main back at the initial layout (tests commit on top of
  // it), and the mirror follows the forced move like it follows a force push.
  beforeAll(() => {
    fixture = createInfraFixture();
  });
  afterAll(() => fixture.cleanup());

  beforeEach(async () => {
    fixture.repo.git("reset", "--hard", "--quiet", fixture.initial);
    await open();
  });

  afterEach(async () => {
    await runner.close();
  });

  describe("signature and request checks", () => {
    it("answers 401 missing_signature without X-Hub-Signature-256", async () => {
      const response = await runner.fetch(
        await webhookRequest(examplePayload("ping"), { event: "ping", signature: null }),
      );
      expect(response.status).toBe(401);
      expect(await json(response)).toEqual({
        code: "missing_signature",
        error: "missing X-Hub-Signature-256 header",
      });
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
      await start({ webhookSecrets: () => secrets });
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
      await start({ webhookSecrets: () => ["  "] });
      const response = await runner.fetch(await webhookRequest(examplePayload("ping"), { event: "ping" }));
      expect(response.status).toBe(503);
      expect(await json(response)).toMatchObject({ code: "not_configured" });
    });

    it.each([
      ["without X-GitHub-Event", null],
      ["with an empty X-GitHub-Event", ""],
    ])("answers 400 missing_event %s", async (_name, event) => {
      const response = await runner.fetch(await webhookRequest(examplePayload("ping"), { event }));
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ code: "missing_event", error: "missing X-GitHub-Event header" });
    });

    it("answers 400 invalid_payload for a signed form delivery without a payload field", async () => {
      const body = "hook=1";
      const request = new Request("http://runner.test/webhook", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-github-event": "push",
          "x-hub-signature-256": await sign(SECRET, body),
        },
        body,
      });
      const response = await runner.fetch(request);
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({
        code: "invalid_payload",
        error: "form-encoded delivery without a payload field",
      });
    });

    it("counts signature mismatches in the request summary instead of logging each", async () => {
      const lines: LoggedLine[] = [];
      await runner.close();
      await start({ logger: createLineLogger(lines) });
      for (let index = 0; index < 3; index += 1) {
        await runner.fetch(await webhookRequest(examplePayload("ping"), { event: "ping", secret: "wrong-secret" }));
      }
      expect(lines.filter((line) => line.level !== "debug")).toEqual([]);
      await runner.close();
      expect(lines).toContainEqual(
        expect.objectContaining({ level: "info", msg: "requests", answered: { "401 invalid_signature": 3 } }),
      );
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
      expect(await json(response)).toEqual({
        code: "unsupported_media_type",
        error: `unsupported content type ${JSON.stringify(type)}: expected application/json or application/x-www-form-urlencoded`,
      });
    });

    it("answers 400 invalid_json for a signed body that is not JSON", async () => {
      const response = await runner.fetch(await webhookRequest("{not json", { event: "push" }));
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ error: "request body is not valid JSON", code: "invalid_json" });
    });

    it("answers 400 invalid_payload for a push payload without the fields a push has", async () => {
      const payload = { ref: "refs/heads/main", commits: [{ modified: [POSTGRES] }] };
      const response = await runner.fetch(await webhookRequest(payload));
      expect(response.status).toBe(400);
      expect(await json(response)).toEqual({ code: "invalid_payload", error: parserMessage(payload) });
    });

    it.each([
      ["before as a number", { before: 42 }, /before must be a commit SHA/],
      ["forced as a string", { forced: "yes" }, /forced must be a boolean/],
      ["commits as an object", { commits: { added: [] } }, /commits must be an array/],
      [
        "a file list of numbers",
        { commits: [{ id: "x", added: [1], modified: [], removed: [] }] },
        /commits\[0\]\.added\[0\]/,
      ],
    ])("answers 400 invalid_payload with the parser's message for %s", async (_name, fields, message) => {
      const payload = { ...pushPayload({ before: fixture.initial, after: fixture.initial }), ...fields };
      const response = await runner.fetch(await webhookRequest(payload));
      expect(response.status).toBe(400);
      const body = await json(response);
      expect(body).toEqual({ code: "invalid_payload", error: parserMessage(payload) });
      expect(body.error).toMatch(message);
      expect(engine.submitted).toEqual([]);
    });

    it("answers 413 for a body over the webhook limit", async () => {
      await runner.close();
      await start({ settings: testSettings(fixture.repo.url, fixture.dataDir, { webhookMaxBodyBytes: 100 }) });
      const response = await runner.fetch(await webhookRequest({ padding: "x".repeat(200) }, { event: "ping" }));
      expect(response.status).toBe(413);
      expect(await json(response)).toMatchObject({ code: "payload_too_large" });
    });

    it("refuses an unsigned body before reading it, whatever its size", async () => {
      await runner.close();
      await start({ settings: testSettings(fixture.repo.url, fixture.dataDir, { webhookMaxBodyBytes: 100 }) });
      const request = await webhookRequest({ padding: "x".repeat(200) }, { event: "ping", signature: null });
      const response = await runner.fetch(request);
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ code: "missing_signature" });
      expect(request.bodyUsed).toBe(false);
    });

    it("answers 502 git_fetch_failed when the tip cannot be read after the fetch", async () => {
      await runner.close();
      const broken: GitMirror = {
        ...fixture.mirror,
        readFile: () => Promise.reject(new GitError("cat-file", 128, false, "object store damaged")),
      };
      await start({ git: broken });
      const after = fixture.repo.commit({ [POSTGRES]: "services: {}\n" });
      const response = await runner.fetch(await webhookRequest(pushPayload({ before: ZERO, after })));
      expect(response.status).toBe(502);
      expect(await json(response)).toMatchObject({ code: "git_fetch_failed" });
    });

    it("answers 500 internal_error without the message for an unexpected error, and logs it", async () => {
      await runner.close();
      const lines: LoggedLine[] = [];
      // A code of its own (as system errors carry) is not the answer's: the summary counts it as internal_error.
      const failure = Object.assign(new Error("mirror exploded: token=ghp_secret"), { code: "EMIRROR" });
      const broken: GitMirror = { ...fixture.mirror, isAncestor: () => Promise.reject(failure) };
      await start({ git: broken, logger: createLineLogger(lines) });
      const after = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const response = await push(fixture.initial, after, { files: [POSTGRES] });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text)).toEqual({ error: "internal error", code: "internal_error" });
      expect(text).not.toContain("token");
      expect(lines).toContainEqual(
        expect.objectContaining({ level: "error", msg: "unhandled error", err: failure, path: "/webhook" }),
      );
      expect(engine.submitted).toEqual([]);
      await runner.close();
      expect(lines).toContainEqual(expect.objectContaining({ msg: "requests", answered: { "500 internal_error": 1 } }));
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
      const response = await runner.fetch(
        await webhookRequest(examplePayload("issues"), { event: "issues", delivery: "d-issues" }),
      );
      expect(response.status).toBe(202);
      expect(await json(response)).toEqual({
        status: "ignored",
        event: "issues",
        delivery: "d-issues",
        reason: "event issues is not handled",
      });
      expect(engine.submitted).toEqual([]);
    });

    it("ignores a push to another branch without reading its commits, whatever their shape", async () => {
      const payload = {
        ...pushPayload({ ref: "refs/heads/feature", before: "a".repeat(40), after: "b".repeat(40) }),
        commits: { added: "not a list" },
      };
      const response = await runner.fetch(await webhookRequest(payload, { delivery: "d-other" }));
      expect(response.status).toBe(202);
      expect(await json(response)).toEqual({
        status: "ignored",
        event: "push",
        delivery: "d-other",
        reason: "push to feature; the runner follows main",
      });
    });

    it("answers a push to another ref from the start of its body as GitHub writes it, never parsing the rest", async () => {
      const [before, after] = ["a".repeat(40), "b".repeat(40)];
      const start = (ref: string, to = after) => `{"ref":"${ref}","before":"${before}","after":"${to}"`;
      const cases = [
        [start("refs/heads/feature"), "push to feature; the runner follows main"],
        [start("refs/tags/v1.0.0"), "tag push (v1.0.0); tags are deployed through /deploy"],
        [start("refs/heads/old", "0".repeat(40)), "branch old was deleted"],
      ] as const;
      for (const [text, reason] of cases) {
        // Not JSON past the start: only a reader that stops there can answer it.
        const response = await runner.fetch(await webhookRequest(`${text},"commits":[{`, { delivery: "d-start" }));
        expect(response.status).toBe(202);
        expect(await json(response)).toEqual({ status: "ignored", event: "push", delivery: "d-start", reason });
      }
      expect(engine.submitted).toHaveLength(0);
    });

    it("parses in full a push to the followed branch, or one whose start GitHub would not write", async () => {
      const [before, after] = ["a".repeat(40), "b".repeat(40)];
      for (const text of [
        `{"ref":"refs/heads/main","before":"${before}","after":"${after}","commits":[{`,
        `{ "ref":"refs/heads/feature","before":"${before}","after":"${after}","commits":[{`,
      ]) {
        const response = await runner.fetch(await webhookRequest(text));
        expect(response.status).toBe(400);
        expect(await json(response)).toMatchObject({ code: "invalid_json" });
      }
    });

    it("still answers 400 invalid_payload for a push to another branch whose ref or commits are malformed", async () => {
      const payload = { ...pushPayload({ ref: "refs/heads/feature", before: "a".repeat(40), after: "b".repeat(40) }) };
      for (const fields of [{ after: 42 }, { ref: "feature" }]) {
        const response = await runner.fetch(await webhookRequest({ ...payload, ...fields }));
        expect(response.status).toBe(400);
        expect(await json(response)).toEqual({
          code: "invalid_payload",
          error: parserMessage({ ...payload, ...fields }),
        });
      }
    });

    it("answers with the request id as delivery, and keys no job by it, without X-GitHub-Delivery", async () => {
      const after = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const payload = pushPayload({ before: fixture.initial, after, files: { modified: [POSTGRES] } });
      const response = await runner.fetch(await webhookRequest(payload, { delivery: null }));
      expect(response.status).toBe(202);
      const { delivery } = await json(response);
      expect(delivery).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));
      expect(engine.submitted[0]).toMatchObject({ delivery, deliveryKey: undefined });
    });

    it.each([
      ["a tag push", examplePayload("push", 0), "tag push (simple-tag); tags are deployed through /deploy"],
      ["a tag deletion", examplePayload("push", 1), "tag push (simple-tag); tags are deployed through /deploy"],
      [
        "a push to another branch",
        pushPayload({ ref: "refs/heads/feature", before: "a".repeat(40), after: "b".repeat(40) }),
        "push to feature; the runner follows main",
      ],
      [
        "a push to a ref that is neither a branch nor a tag",
        pushPayload({ ref: "refs/notes/commits", before: "a".repeat(40), after: "b".repeat(40) }),
        "push to refs/notes/commits; the runner follows main",
      ],
      [
        "a branch deletion",
        pushPayload({ before: "a".repeat(40), after: ZERO, deleted: true }),
        "branch main was deleted",
      ],
      [
        "a deletion of another branch",
        pushPayload({ ref: "refs/heads/feature", before: "a".repeat(40), after: ZERO, deleted: true }),
        "branch feature was deleted",
      ],
      [
        "a deletion without the deleted flag",
        pushPayload({ before: "a".repeat(40), after: ZERO }),
        "branch main was deleted",
      ],
      [
        "a deletion flagged with a non-zero after",
        pushPayload({ before: "a".repeat(40), after: "b".repeat(40), deleted: true }),
        "branch main was deleted",
      ],
    ])("ignores %s with 202 and a reason", async (_name, payload, reason) => {
      const lines: LoggedLine[] = [];
      await runner.close();
      await start({ logger: createLineLogger(lines) });
      const response = await runner.fetch(await webhookRequest(payload, { delivery: "d-ignored" }));
      expect(response.status).toBe(202);
      expect(await json(response)).toEqual({ status: "ignored", event: "push", delivery: "d-ignored", reason });
      expect(engine.submitted).toEqual([]);
      // GitHub shows the reason in its delivery log; the runner only counts the answer in its periodic summary.
      expect(lines.filter((line) => line["delivery"] === "d-ignored")).toEqual([]);
    });
  });

  describe("pushes to the followed branch", () => {
    it("plans the services changed from the push's before to the tip when nothing is synced yet", async () => {
      const after = fixture.repo.commit({ [POSTGRES]: "x: 1\n", "README.md": "# changed\n" });
      const response = await push(fixture.initial, after, { delivery: "delivery-1", files: [POSTGRES] });
      expect(response.status).toBe(202);
      const [submitted] = engine.submitted;
      expect(await json(response)).toEqual({
        status: "accepted",
        delivery: "delivery-1",
        env: "staging",
        commit: after,
        services: ["postgres"],
        reasons: { postgres: { code: "changed", message: `1 changed path: ${POSTGRES}`, paths: [POSTGRES] } },
        skipped: [expect.objectContaining({ path: "README.md", reason: "outside_layers" })],
        deployments: [submitted?.id],
      });
      expect(engine.submitted).toHaveLength(1);
      expect(submitted).toMatchObject({
        env: "staging",
        commit: after,
        trigger: "webhook",
        delivery: "delivery-1",
        deliveryKey: "delivery:delivery-1",
        cursor: { expected: null },
      });
      expect(submitted?.services.map(({ service }) => service.name)).toEqual(["postgres"]);
      expect(await store.cursor("staging")).toEqual({ planned: after, synced: null });
    });

    it("accepts a form-encoded push like a JSON one", async () => {
      const after = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      const payload = pushPayload({ before: fixture.initial, after, files: { modified: [REDIS] } });
      const response = await runner.fetch(await webhookRequest(payload, { form: true }));
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({ status: "accepted", commit: after, services: ["redis"] });
      expect(engine.submitted[0]).toMatchObject({ commit: after });
    });

    it("syncs to the tip of the branch when it moved on after the push, with every change up to it", async () => {
      const pushed = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const tip = fixture.repo.commit({ [REDIS]: "v: 3\n" });
      const response = await push(fixture.initial, pushed, { files: [POSTGRES] });
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({ commit: tip, services: ["postgres", "redis"] });
      expect(engine.submitted.map((job) => job.commit)).toEqual([tip]);
    });

    it.each([
      ["with nothing synced, from the push's before", false, ["redis"]],
      ["from the environment's synced commit, whatever the push's before", true, ["postgres", "redis"]],
    ])("plans the changes %s", async (_name, synced, services) => {
      if (synced) {
        expect(await store.initCursor("staging", fixture.initial)).toBe(true);
      }
      const first = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const second = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      const response = await push(first, second, { files: [REDIS] });
      expect(response.status).toBe(202);
      expect(await json(response)).toMatchObject({ status: "accepted", commit: second, services });
      expect(engine.submitted[0]?.cursor).toEqual({ expected: synced ? fixture.initial : null });
    });

    it("diffs in git when the payload is incomplete (forced push)", async () => {
      const after = fixture.repo.commit({ [REDIS]: "v: 2\n" });
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
      const response = await push(fixture.initial, after, {
        files: ["libs/common.py", "bootstrap/06.iac-runner/compose.yaml"],
      });
      expect(await json(response)).toMatchObject({ services: ["postgres", "redis"] });
      expect(engine.submitted[0]?.services.map(({ service }) => service.name)).toEqual(["postgres", "redis"]);
    });

    it("never syncs the bootstrap layer, even when the repository's config makes it automatic", async () => {
      const after = fixture.repo.commit({
        "iac.config.yaml": "layers:\n  platform: auto\n  bootstrap: auto\n",
        "bootstrap/06.iac-runner/compose.yaml": "v: 2\n",
      });
      const response = await push(fixture.initial, after, {
        files: ["iac.config.yaml", "bootstrap/06.iac-runner/compose.yaml"],
      });
      const body = await json(response);
      expect(body.services ?? []).not.toContain("iac-runner");
      expect(body.skipped).toContainEqual(
        expect.objectContaining({ service: "iac-runner", reason: "bootstrap_layer" }),
      );
      expect(engine.submitted.flatMap((job) => job.services.map(({ service }) => service.name))).not.toContain(
        "iac-runner",
      );
    });

    it("answers 200 no_changes with the ignored paths when nothing maps to a service", async () => {
      const after = fixture.repo.commit({ "README.md": "# changed\n" });
      const response = await push(fixture.initial, after, { files: ["README.md"] });
      expect(response.status).toBe(200);
      expect(await json(response)).toMatchObject({
        status: "no_changes",
        commit: after,
        ignored: [expect.objectContaining({ path: "README.md" })],
      });
      expect(engine.submitted).toEqual([]);
    });

    it("ignores a push whose commit is no longer on the branch (force-pushed away): 202, no job", async () => {
      const orphan = fixture.repo.commit({ [POSTGRES]: "v: orphan\n" });
      // Let the mirror know the commit, so that only its place on the branch can rule it out.
      await fixture.mirror.fetch();
      fixture.repo.git("reset", "--hard", "--quiet", fixture.initial);
      const tip = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      const response = await push(fixture.initial, orphan, { delivery: "gone", files: [POSTGRES] });
      expect(response.status).toBe(202);
      const body = await json(response);
      expect(body).toMatchObject({ status: "ignored", event: "push", delivery: "gone", commit: orphan });
      expect(body.reason).toContain(`is not on main`);
      expect(body.reason).toContain(tip);
      expect(engine.submitted).toEqual([]);
      expect((await store.listJobs({ limit: 10 })).jobs).toEqual([]);
      expect(await store.cursor("staging")).toEqual({ planned: null, synced: null });
    });

    it("ignores a push that is not newer than the synced commit, even under a new delivery id", async () => {
      const older = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const newer = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      const accepted = await push(older, newer, { delivery: "newer", files: [REDIS] });
      const id = (engine.submitted[0]?.id ?? "") as string;
      expect(accepted.status).toBe(202);
      await finishJob(store, id, "succeeded");
      expect(await store.cursor("staging")).toEqual({ planned: newer, synced: newer });

      for (const [before, after] of [
        [fixture.initial, older],
        [older, newer],
      ] as const) {
        const replayed = await push(before, after, { delivery: crypto.randomUUID(), files: [POSTGRES] });
        expect(replayed.status).toBe(202);
        const body = await json(replayed);
        expect(body).toMatchObject({ status: "ignored", commit: after });
        expect(body.reason).toBe(`commit ${after} is not newer than ${newer}, which staging already runs`);
      }
      expect(engine.submitted).toHaveLength(1);
      expect(await store.cursor("staging")).toEqual({ planned: newer, synced: newer });
    });

    it("plans an older push delivered after a newer one at the tip, never at its own commit", async () => {
      const older = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const newer = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      const first = await push(older, newer, { delivery: "newer", files: [REDIS] });
      const second = await push(fixture.initial, older, { delivery: "older", files: [POSTGRES] });
      expect(first.status).toBe(202);
      expect(await json(second)).toMatchObject({ commit: newer });
      expect(engine.submitted.map((job) => job.commit)).toEqual([newer, newer]);
      const { jobs } = await store.listJobs({ limit: 10 });
      expect(jobs.every((job) => job.commit === newer)).toBe(true);
      expect(await store.cursor("staging")).toEqual({ planned: newer, synced: null });
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
      await start({ git: flaky });
      const after = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const failed = await push(fixture.initial, after, { delivery: "retry-me", files: [POSTGRES] });
      expect(failed.status).toBe(502);
      const text = await failed.text();
      expect(JSON.parse(text)).toMatchObject({ code: "git_fetch_failed" });
      expect(text).not.toContain("token");
      failing = false;
      const retried = await push(fixture.initial, after, { delivery: "retry-me", files: [POSTGRES] });
      expect(retried.status).toBe(202);
      expect(engine.submitted).toHaveLength(1);
    });

    it("answers 422 config_invalid when the tip's iac.config.yaml is invalid", async () => {
      const after = fixture.repo.commit({ "iac.config.yaml": "layers:\n  platform: sometimes\n" });
      const response = await push(fixture.initial, after, { files: ["iac.config.yaml"] });
      expect(response.status).toBe(422);
      expect(response.status).toBe(PLAN_ERRORS.config_invalid.status);
      expect(await json(response)).toMatchObject({
        code: "config_invalid",
        error: expect.stringContaining("layers.platform"),
      });
      expect(engine.submitted).toEqual([]);
    });

    it("answers 202 at the deadline while the fetch goes on, then submits the job in the background", async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow: GitMirror = { ...fixture.mirror, fetch: () => gate.then(() => fixture.mirror.fetch()) };
      const lines: LoggedLine[] = [];
      await runner.close();
      await start({ git: slow, webhookDeadlineMs: 0, logger: createLineLogger(lines) });
      const after = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      const response = await push(fixture.initial, after, { delivery: "slow", files: [REDIS] });
      expect(response.status).toBe(202);
      expect(await json(response)).toEqual({
        status: "accepted",
        delivery: "slow",
        commit: after,
        pending: true,
        detail: "still fetching the repository; the sync starts when the fetch completes (see the runner logs)",
        services: [],
        skipped: [],
        deployments: [],
      });
      expect(engine.submitted).toEqual([]);
      release();
      await expect.poll(() => engine.submitted.length).toBe(1);
      expect(engine.submitted[0]).toMatchObject({ commit: after, delivery: "slow" });
      await expect
        .poll(() => lines.filter((line) => line.msg === "webhook finished in the background"))
        .toEqual([expect.objectContaining({ level: "info", status: 202, delivery: "slow" })]);
    });

    it("logs a push that failed in the background after the deadline", async () => {
      let fail: () => void = () => undefined;
      const gate = new Promise<void>((_resolve, reject) => {
        fail = () => reject(new Error("remote hung up"));
      });
      const failing: GitMirror = { ...fixture.mirror, fetch: () => gate };
      const lines: LoggedLine[] = [];
      await runner.close();
      await start({ git: failing, webhookDeadlineMs: 0, logger: createLineLogger(lines) });
      const after = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      expect((await push(fixture.initial, after, { delivery: "doomed", files: [REDIS] })).status).toBe(202);
      fail();
      await expect
        .poll(() => lines.filter((line) => line.msg === "webhook failed in the background"))
        .toEqual([
          expect.objectContaining({
            level: "error",
            delivery: "doomed",
            err: expect.objectContaining({ code: "git_fetch_failed" }),
          }),
        ]);
      expect(engine.submitted).toEqual([]);
    });

    it("clears its deadline timer once the push is answered in time", async () => {
      const after = fixture.repo.commit({ [REDIS]: "v: 2\n" });
      vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
      try {
        const response = await push(fixture.initial, after, { files: [REDIS] });
        expect(response.status).toBe(202);
        // What is left is the timer of the request summary, not the deadline's.
        expect(vi.getTimerCount()).toBe(1);
      } finally {
        vi.useRealTimers();
      }
    });

    it("answers an equal push under another delivery id with 200 duplicate and the job in flight", async () => {
      const after = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const first = await push(fixture.initial, after, { delivery: "first", files: [POSTGRES] });
      const second = await push(fixture.initial, after, { delivery: "second", files: [POSTGRES] });
      expect(first.status).toBe(202);
      const [job] = engine.submitted;
      expect(second.status).toBe(200);
      expect(await json(second)).toEqual({
        status: "duplicate",
        delivery: "second",
        env: "staging",
        commit: after,
        services: ["postgres"],
        reasons: { postgres: { code: "changed", message: `1 changed path: ${POSTGRES}`, paths: [POSTGRES] } },
        skipped: [],
        deployments: [job?.id],
      });
    });

    it("logs what each push came to, with the delivery, the event and the pushed commit", async () => {
      const lines: LoggedLine[] = [];
      await runner.close();
      await start({ logger: createLineLogger(lines) });
      const planned = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      await push(fixture.initial, planned, { delivery: "planned", files: [POSTGRES] });
      const [job] = engine.submitted;
      await push(fixture.initial, planned, { delivery: "planned", files: [POSTGRES] });
      const readme = fixture.repo.commit({ "README.md": "# changed\n" });
      await push(planned, readme, { delivery: "readme", files: ["README.md"] });
      await finishJob(store, job?.id ?? "", "succeeded");
      await push(fixture.initial, planned, { delivery: "late", files: [POSTGRES] });
      const logged = (msg: string) => lines.filter((line) => line.msg === msg);
      expect(logged("push planned")).toEqual([
        expect.objectContaining({
          level: "info",
          delivery: "planned",
          event: "push",
          commit: planned,
          env: "staging",
          services: ["postgres"],
          deployment: job?.id,
          status: "created",
        }),
      ]);
      // The duplicate delivery is answered with its job and counted, not logged.
      expect(lines.filter((line) => line["delivery"] === "planned").map((line) => line.msg)).toEqual(["push planned"]);
      expect(logged("push changes no service")).toEqual([
        expect.objectContaining({ level: "info", delivery: "readme", commit: readme, ignored: 1 }),
      ]);
      expect(logged("push changes nothing")).toEqual([
        expect.objectContaining({
          level: "info",
          delivery: "late",
          commit: planned,
          reason: `commit ${planned} is not newer than ${planned}, which staging already runs`,
        }),
      ]);
    });

    it("plans concurrent pushes at the tip, so the branch position ends there", async () => {
      const first = fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
      const configured = fixture.repo.commit({
        "iac.config.yaml": "shared:\n  - paths: [docs/**]\n    services: [redis]\n",
      });
      const second = fixture.repo.commit({ "docs/guide.md": "# guide\n" });
      const [a, b] = await Promise.all([
        push(fixture.initial, first, { files: [POSTGRES] }),
        push(configured, second, { files: ["docs/guide.md"] }),
      ]);
      expect([a.status, b.status].every((status) => status === 200 || status === 202)).toBe(true);
      expect(await json(a)).toMatchObject({ commit: second });
      expect(await json(b)).toMatchObject({ commit: second });
      expect(engine.submitted.every((job) => job.commit === second)).toBe(true);
      expect((await store.cursor("staging")).planned).toBe(second);
    });
  });

  describe("delivery dedupe", () => {
    const pushOnce = async (delivery: string): Promise<{ status: number; id: string }> => {
      const after = fixture.repo.head();
      const response = await push(fixture.initial, after, { delivery, files: [POSTGRES] });
      const body = await json(response);
      return { status: response.status, id: (body.deployments as string[])[0] ?? "" };
    };

    beforeEach(() => {
      fixture.repo.commit({ [POSTGRES]: "v: 2\n" });
    });

    it.each([
      ["queued", async () => undefined],
      ["running", (id: string) => claimJob(store, id)],
      ["succeeded", (id: string) => finishJob(store, id, "succeeded")],
    ])("answers a redelivery while its job is %s with 200 duplicate and the original job", async (state, move) => {
      const first = await pushOnce("same");
      expect(first.status).toBe(202);
      await move(first.id);
      expect((await store.getJob(first.id))?.state).toBe(state);
      const again = await push(fixture.initial, fixture.repo.head(), { delivery: "same", files: [POSTGRES] });
      expect(again.status).toBe(200);
      expect(await json(again)).toEqual({ status: "duplicate", delivery: "same", deployments: [first.id] });
      expect(engine.submitted).toHaveLength(1);
      expect((await store.listJobs({ limit: 10 })).jobs.map((job) => job.id)).toEqual([first.id]);
    });

    it.each([
      ["failed", (id: string) => finishJob(store, id, "failed")],
      ["cancelled", (id: string) => store.cancelJob(id, false, Date.now())],
    ])("runs a redelivery again once its job %s, as a new job", async (state, end) => {
      const first = await pushOnce("retry");
      await end(first.id);
      expect((await store.getJob(first.id))?.state).toBe(state);
      const again = await pushOnce("retry");
      expect(again.status).toBe(202);
      expect(again.id).not.toBe(first.id);
      expect(engine.submitted).toHaveLength(2);
      expect((await store.jobByKey("delivery:retry", Date.now()))?.id).toBe(again.id);
      const third = await pushOnce("retry");
      expect(third).toEqual({ status: 200, id: again.id });
    });

    /** Restarts the runner with the store's jobByKey counted. */
    const countStoreReads = async () => {
      await runner.close();
      const jobByKey = vi.spyOn(store, "jobByKey");
      await start();
      return jobByKey;
    };
    const redeliver = (delivery: string, files = [POSTGRES]) =>
      push(fixture.initial, fixture.repo.head(), { delivery, files });

    it("answers GitHub's retries of a delivery whose job succeeded from memory, as the store answers them", async () => {
      const first = await pushOnce("settled");
      await finishJob(store, first.id, "succeeded");
      const jobByKey = await countStoreReads();
      const fromStore = await redeliver("settled");
      const fromMemory = [await redeliver("settled"), await redeliver("settled")];
      expect(jobByKey).toHaveBeenCalledTimes(1);
      const text = await fromStore.text();
      expect(JSON.parse(text)).toEqual({ status: "duplicate", delivery: "settled", deployments: [first.id] });
      for (const response of fromMemory) {
        expect(response.status).toBe(200);
        expect(await response.text()).toBe(text);
      }
      expect(engine.submitted).toHaveLength(1);
    });

    it("reads in full what comes under a remembered delivery id with other bytes", async () => {
      const first = await pushOnce("settled");
      await finishJob(store, first.id, "succeeded");
      const jobByKey = await countStoreReads();
      await redeliver("settled");
      const other = await redeliver("settled", [POSTGRES, REDIS]);
      expect(other.status).toBe(200);
      expect(jobByKey).toHaveBeenCalledTimes(2);
      const malformed = { ...pushPayload({ before: fixture.initial, after: fixture.repo.head() }), commits: {} };
      const refused = await runner.fetch(await webhookRequest(malformed, { delivery: "settled" }));
      expect(refused.status).toBe(400);
      expect(await json(refused)).toMatchObject({ code: "invalid_payload" });
    });

    it("reads the store on every retry of a delivery whose job may still fail", async () => {
      const first = await pushOnce("pending");
      expect((await store.getJob(first.id))?.state).toBe("queued");
      const jobByKey = await countStoreReads();
      await redeliver("pending");
      await finishJob(store, first.id, "failed");
      const retried = await redeliver("pending");
      expect(jobByKey).toHaveBeenCalledTimes(2);
      expect(retried.status).toBe(202);
      expect(engine.submitted).toHaveLength(2);
    });

    it("remembers deliveries across a restart over the same SQLite file", async () => {
      await runner.close();
      const dir = makeTemp("iac-store-");
      const path = join(dir, "jobs.db");
      let fileStore = await createSqliteStore({ path });
      try {
        engine = createStubEngine(fileStore);
        await start();
        const first = await pushOnce("across-restart");
        expect(first.status).toBe(202);
        await runner.close();
        await fileStore.close();

        fileStore = await createSqliteStore({ path });
        engine = createStubEngine(fileStore);
        await start();
        const again = await push(fixture.initial, fixture.repo.head(), {
          delivery: "across-restart",
          files: [POSTGRES],
        });
        expect(again.status).toBe(200);
        expect(await json(again)).toEqual({
          status: "duplicate",
          delivery: "across-restart",
          deployments: [first.id],
        });
        expect(engine.submitted).toEqual([]);
      } finally {
        await runner.close();
        await fileStore.close();
        cleanupTemp(dir);
      }
    });
  });
});
