// Plans of pull requests end to end: signed `pull_request` deliveries to a runner with its own engine, a real git
// repository with a pull request branch (and a fork's `refs/pull/<n>/head`), the fake Dokploy, and a fake GitHub on
// loopback where the plan comment is written.

import { createFakeClock, createFakeVault, type FakeVault } from "@iac/sdk/testing";
import { HttpResponse, http, passthrough } from "msw";
import { afterEach, describe, expect, it, onTestFinished } from "vitest";
import { type FakeGithub, serveFakeGithub } from "../helpers/fake-github.js";
import {
  ciRequest,
  createInfraFixture,
  examplePayload,
  json,
  type ResponseBody,
  webhookRequest,
} from "../helpers/runner-fixture.js";
import { type LiveRunner, startLiveRunner, useMsw } from "../integration/live-runner.js";

const server = useMsw();
const POSTGRES = "platform/01.postgres/compose.yaml";
const REDIS = "platform/02.redis/compose.yaml";
const MARKER = "<!-- iac-runner:plan:staging -->";
const compose = (image: string): string => `services:\n  app:\n    image: ${image}\n`;

let github: FakeGithub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

/** A `pull_request` delivery (from GitHub's example) of pull request `number` at `head`. */
function pullPayload(options: { number: number; head: string; action?: string; base?: string }): unknown {
  const payload = examplePayload("pull_request") as { pull_request: Record<string, Record<string, unknown>> };
  const pull = payload.pull_request;
  return {
    ...payload,
    action: options.action ?? "opened",
    number: options.number,
    pull_request: {
      ...pull,
      number: options.number,
      base: { ...pull["base"], ref: options.base ?? "main" },
      head: { ...pull["head"], sha: options.head },
    },
  };
}

async function deliver(live: LiveRunner, payload: unknown, delivery?: string): Promise<[number, ResponseBody]> {
  const options = delivery === undefined ? { event: "pull_request" } : { event: "pull_request", delivery };
  const response = await live.runner.fetch(await webhookRequest(payload, options));
  return [response.status, await json(response)];
}

/**
 * A runner commenting on the fake GitHub (unless `github` is false) whose services were all synced at the initial
 * layout, with `config` as its `iac.config.yaml` and Vault when given.
 */
async function syncedRunner(
  options: { github?: boolean; vault?: FakeVault; config?: string } = {},
): Promise<LiveRunner> {
  github = await serveFakeGithub({ repository: "acme/infra" });
  // The fake GitHub on loopback is a real server: msw lets requests to it through.
  server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
  const fixture = createInfraFixture();
  onTestFinished(() => fixture.cleanup());
  if (options.config !== undefined) {
    fixture.repo.commit({ "iac.config.yaml": options.config });
  }
  const { vault } = options;
  const live = await startLiveRunner(server, {
    fixture,
    settings: {
      ...(options.github === false
        ? {}
        : { github: { token: github.token, apiUrl: github.apiUrl, repository: "acme/infra" } }),
      ...(vault === undefined ? {} : { vault: { address: vault.address, token: vault.token, retry: false } }),
    },
  });
  await sync(live, { all: true });
  return live;
}

async function sync(live: LiveRunner, body: unknown): Promise<void> {
  const answer = await live.runner.fetch(await ciRequest("/sync", body));
  expect(answer.status).toBeLessThan(300);
  const [job] = (await live.store.listJobs({ limit: 1 })).jobs;
  // A first sync starts git and SQLite cold: it is given longer than the default poll.
  await expect
    .poll(async () => (await live.runner.engine.get(job?.id ?? ""))?.state, { timeout: 15_000 })
    .toBe("succeeded");
}

/** Commits `files` on branch `branch` (created from `from` when new) and goes back to main. */
function commitOn(live: LiveRunner, branch: string, files: Record<string, string | null>, from?: string): string {
  const { repo } = live.fixture;
  repo.git("checkout", "--quiet", ...(from === undefined ? [branch] : ["-b", branch, from]));
  const commit = repo.commit(files, `change on ${branch}`);
  repo.git("checkout", "--quiet", "main");
  return commit;
}

/** The plan comments of pull request `number` once as many as `count` exist. */
async function commentsOf(number: number, count = 1, timeout = 5_000): Promise<string[]> {
  await expect
    .poll(() => github?.comments.filter((comment) => comment.issue === number).length, { timeout })
    .toBe(count);
  return (github?.comments ?? []).filter((comment) => comment.issue === number).map((comment) => comment.body);
}

function row(body: string, service: string): string | undefined {
  return body.split("\n").find((line) => line.startsWith(`| ${service} |`));
}

describe("a pull request to the followed branch", () => {
  it("is answered at once, and its plan comment lists what merging would redeploy, against the merge base", async () => {
    const live = await syncedRunner();
    const { initial } = live.fixture;
    const head = commitOn(live, "feature", { [POSTGRES]: compose("postgres:17") }, initial);
    // main moves on after the branch point: its change is no part of the pull request.
    live.fixture.repo.commit({ [REDIS]: compose("redis:8") });

    const [status, body] = await deliver(live, pullPayload({ number: 7, head }));
    expect([status, body]).toMatchObject([202, { status: "accepted", pullRequest: 7, commit: head }]);

    const [comment = ""] = await commentsOf(7);
    expect(comment.startsWith(MARKER)).toBe(true);
    expect(comment).toContain(`Planned at ${head}.`);
    expect(row(comment, "postgres")).toBe(
      `| postgres | deploy | \`${POSTGRES}\` | config hash differs from Dokploy's |`,
    );
    expect(row(comment, "redis")).toBeUndefined();
    expect(comment).not.toContain(live.dokploy.apiKey);
  });

  it("updates its one comment on every new head, and says which services Dokploy already holds", async () => {
    const live = await syncedRunner();
    const first = commitOn(live, "feature", { [POSTGRES]: compose("postgres:17") }, live.fixture.initial);
    expect((await deliver(live, pullPayload({ number: 8, head: first })))[0]).toBe(202);
    await commentsOf(8);

    const second = commitOn(live, "feature", { [REDIS]: compose("redis:8") });
    expect((await deliver(live, pullPayload({ number: 8, head: second, action: "synchronize" })))[0]).toBe(202);
    await expect.poll(() => github?.comments[0]?.body.includes(second), { timeout: 5_000 }).toBe(true);
    const [updated = ""] = await commentsOf(8);
    expect(row(updated, "postgres")).toContain("| deploy |");
    expect(row(updated, "redis")).toBe(`| redis | deploy | \`${REDIS}\` | config hash differs from Dokploy's |`);

    // The same postgres content reaches Dokploy through main: merging would leave it as it is.
    live.fixture.repo.commit({ [POSTGRES]: compose("postgres:17") });
    await sync(live, { services: ["postgres"] });
    expect((await deliver(live, pullPayload({ number: 8, head: second, action: "reopened" })))[0]).toBe(202);
    await expect.poll(() => github?.comments[0]?.edits, { timeout: 5_000 }).toBe(2);
    const [third = ""] = await commentsOf(8);
    expect(row(third, "postgres")).toBe(`| postgres | unchanged | \`${POSTGRES}\` | same config hash as Dokploy |`);
    expect(row(third, "redis")).toContain("| deploy |");
    const posts = github?.calls.filter((call) => call.method === "POST" && call.path.endsWith("/issues/8/comments"));
    expect(posts).toHaveLength(1);
  });

  it("answers a redelivery as a duplicate and comments once", async () => {
    const live = await syncedRunner();
    const head = commitOn(live, "feature", { [POSTGRES]: compose("postgres:17") }, live.fixture.initial);
    const payload = pullPayload({ number: 9, head });
    expect((await deliver(live, payload, "delivery-1"))[0]).toBe(202);
    expect(await deliver(live, payload, "delivery-1")).toMatchObject([200, { status: "duplicate", pullRequest: 9 }]);
    await commentsOf(9);
    expect(await deliver(live, payload, "delivery-1")).toMatchObject([200, { status: "duplicate" }]);
    // A new delivery of the same head is planned again: the plans ran are those of delivery-1 and delivery-2.
    expect((await deliver(live, { ...(payload as object), action: "synchronize" }, "delivery-2"))[0]).toBe(202);
    await expect.poll(() => github?.comments[0]?.edits, { timeout: 5_000 }).toBe(1);
    const lists = github?.calls.filter((call) => call.method === "GET" && call.path.endsWith("/issues/9/comments"));
    expect(lists).toHaveLength(2);
    expect(await commentsOf(9)).toHaveLength(1);
  });

  it("plans a fork's head, fetched from refs/pull/<n>/head", async () => {
    const live = await syncedRunner();
    const { repo } = live.fixture;
    const head = commitOn(live, "fork", { [REDIS]: compose("redis:8") }, live.fixture.initial);
    repo.git("update-ref", "refs/pull/11/head", head);
    // The fork's branch lives in another repository: only the pull ref names its head here.
    repo.git("branch", "--quiet", "-D", "fork");

    expect((await deliver(live, pullPayload({ number: 11, head })))[0]).toBe(202);
    const [comment = ""] = await commentsOf(11);
    expect(comment).toContain(`Planned at ${head}.`);
    expect(row(comment, "redis")).toContain("| deploy |");
  });

  it("shows the configuration errors of a head that breaks iac.config.yaml", async () => {
    const live = await syncedRunner();
    const head = commitOn(
      live,
      "feature",
      { "iac.config.yaml": "environments:\n  staging:\n    rollback: sometimes\n" },
      live.fixture.initial,
    );
    expect((await deliver(live, pullPayload({ number: 12, head })))[0]).toBe(202);
    const [comment = ""] = await commentsOf(12);
    expect(comment).toContain("The configuration at this commit is invalid");
    expect(comment).toMatch(/- `environments\.staging\.rollback: [^`]+`/);
    expect(comment).not.toContain("| Service |");
  });

  it("says a service could not be compared while Dokploy is unreachable, and still plans the others", async () => {
    const live = await syncedRunner();
    const head = commitOn(
      live,
      "feature",
      { [POSTGRES]: compose("postgres:17"), [REDIS]: compose("redis:8") },
      live.fixture.initial,
    );
    server.use(http.all("http://dokploy.test/*", () => HttpResponse.error()));
    expect((await deliver(live, pullPayload({ number: 13, head })))[0]).toBe(202);
    const [comment = ""] = await commentsOf(13);
    expect(comment).toContain("(2 could not be compared)");
    expect(row(comment, "postgres")).toMatch(/^\| postgres \| could not compare \| .* \| dokploy_unreachable: /);
    expect(row(comment, "redis")).toMatch(/^\| redis \| could not compare \| .* \| dokploy_unreachable: /);
    expect(comment).not.toContain("dokploy.test");
  });

  it("never shows a Vault value, and says a service could not be compared while Vault is unreachable", async () => {
    const vault = createFakeVault({ clock: createFakeClock() });
    vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: "pg-password-in-vault" });
    server.use(...vault.handlers);
    const live = await syncedRunner({
      vault,
      config: "services:\n  postgres:\n    vault:\n      - secret/data/platform/{env}/postgres\n",
    });
    const first = commitOn(live, "feature", { [POSTGRES]: compose("postgres:17") }, live.fixture.repo.head());
    expect((await deliver(live, pullPayload({ number: 16, head: first })))[0]).toBe(202);
    const [comment = ""] = await commentsOf(16);
    expect(row(comment, "postgres")).toContain("| deploy |");
    expect(comment).not.toContain("pg-password-in-vault");

    server.use(http.all(`${vault.address}/*`, () => HttpResponse.error()));
    const second = commitOn(live, "feature", { [REDIS]: compose("redis:8") });
    expect((await deliver(live, pullPayload({ number: 16, head: second, action: "synchronize" })))[0]).toBe(202);
    await expect.poll(() => github?.comments[0]?.body.includes(second), { timeout: 5_000 }).toBe(true);
    const [updated = ""] = await commentsOf(16);
    expect(row(updated, "postgres")).toMatch(/^\| postgres \| could not compare \| .* \| vault_unreachable: /);
    // Vault failing says nothing about the services without secrets.
    expect(row(updated, "redis")).toContain("| deploy |");
    expect(updated).not.toContain(vault.address);
  });

  it("posts the comment once GitHub answers again after a server error", async () => {
    const live = await syncedRunner();
    const head = commitOn(live, "feature", { [POSTGRES]: compose("postgres:17") }, live.fixture.initial);
    github?.failNext(/^POST \/repos\/acme\/infra\/issues\/14\/comments$/, { status: 502 });
    expect((await deliver(live, pullPayload({ number: 14, head })))[0]).toBe(202);
    // The first retry waits a second.
    await commentsOf(14, 1, 15_000);
    const posts = github?.calls.filter((call) => call.method === "POST" && call.path.endsWith("/issues/14/comments"));
    expect(posts).toHaveLength(2);
    expect(live.lines.some((line) => line.msg === "pull request plan failed; retrying")).toBe(true);
  });

  it("gives up at once when GitHub refuses the token", async () => {
    const live = await syncedRunner();
    const head = commitOn(live, "feature", { [POSTGRES]: compose("postgres:17") }, live.fixture.initial);
    github?.failNext(/^GET \/repos\/acme\/infra\/issues\/15\/comments$/, {
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    expect((await deliver(live, pullPayload({ number: 15, head })))[0]).toBe(202);
    await expect
      .poll(() => live.lines.find((line) => line.msg === "pull request plan given up")?.["attempts"], {
        timeout: 5_000,
      })
      .toBe(1);
    expect(github?.comments).toEqual([]);
  });
});

describe("a pull_request delivery the runner does not plan", () => {
  it("is ignored when the pull request targets another branch, and nothing is commented", async () => {
    const live = await syncedRunner();
    const head = commitOn(live, "feature", { [POSTGRES]: compose("postgres:17") }, live.fixture.initial);
    const [status, body] = await deliver(live, pullPayload({ number: 20, head, base: "release" }));
    expect([status, body]).toMatchObject([
      202,
      { status: "ignored", reason: "pull request to release; the runner follows main" },
    ]);
    expect(github?.calls.filter((call) => call.path.includes("/issues/"))).toEqual([]);
  });

  it("is ignored for an action that brings no new head", async () => {
    const live = await syncedRunner();
    const [status, body] = await deliver(
      live,
      pullPayload({ number: 21, head: live.fixture.initial, action: "closed" }),
    );
    expect([status, body]).toMatchObject([
      202,
      { status: "ignored", reason: "action closed brings no new head to plan" },
    ]);
    expect(github?.calls.filter((call) => call.path.includes("/issues/"))).toEqual([]);
  });

  it("is ignored with the reason when GITHUB_TOKEN is not set", async () => {
    const live = await syncedRunner({ github: false });
    const [status, body] = await deliver(live, pullPayload({ number: 22, head: live.fixture.initial }));
    expect([status, body]).toMatchObject([
      202,
      { status: "ignored", reason: "pull request plans are off: GITHUB_TOKEN is not set" },
    ]);
    expect(github?.calls).toEqual([]);
  });

  it.each([
    ["a number that is not a positive integer", { number: 0 }],
    ["a head that is not a commit SHA", { head: "HEAD~1" }],
  ])("is refused with 400 for %s", async (_, override) => {
    const live = await syncedRunner();
    const payload = pullPayload({ number: 23, head: live.fixture.initial, ...override });
    const [status, body] = await deliver(live, payload);
    expect([status, body.code]).toEqual([400, "invalid_payload"]);
    expect(github?.calls.filter((call) => call.path.includes("/issues/"))).toEqual([]);
  });
});
