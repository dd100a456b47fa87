// The whole loop on loopback: a release deployed to production, the next release failing there, the automatic rollback
// redeploying the last good content, and what GitHub (commit statuses and deployments) and a signed notification
// webhook were told of each job.
import { http, passthrough } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import type { SyncJob } from "../../src/types.js";
import { type FakeGithub, serveFakeGithub } from "../helpers/fake-github.js";
import { ciRequest, INFRA_FILES } from "../helpers/runner-fixture.js";
import { type NotifyReceiver, serveNotifyReceiver } from "../report/notify/notify-receiver.js";
import { type LiveRunner, startLiveRunner, useMsw } from "./live-runner.js";

const server = useMsw();
const PUBLIC_URL = "https://iac.example.com";
const HOOK_KEY = "the-key-the-receiver-shares";
const CONFIG = [
  "environments:",
  "  staging: {}",
  "  production:",
  "    rollback: auto",
  "    notify:",
  "      - { type: webhook, url: $HOOK_URL, secret: $HOOK_KEY, on: all }",
  "",
].join("\n");
const BROKEN = "services:\n  postgres:\n    image: postgres:does-not-start\n";

let github: FakeGithub | undefined;
let receiver: NotifyReceiver | undefined;
afterEach(async () => {
  await github?.close();
  await receiver?.close();
});

async function deploy(live: LiveRunner, tag: string): Promise<SyncJob> {
  const answer = await live.runner.fetch(await ciRequest("/deploy", { env: "production", tag }));
  expect(answer.status).toBe(202);
  const { deployments } = (await answer.json()) as { deployments: string[] };
  return live.waitForJob(deployments[0] ?? "");
}

describe("a failed production release", () => {
  it("is rolled back to the last good content, and GitHub and the webhook are told of all three jobs", async () => {
    github = await serveFakeGithub({ repository: "acme/infra" });
    receiver = await serveNotifyReceiver();
    receiver.secret("hooks", HOOK_KEY);
    const variables: Record<string, string> = { HOOK_URL: receiver.url("hooks"), HOOK_KEY };
    // The fakes on loopback are real servers: msw lets requests to them through.
    server.use(http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()));
    const live = await startLiveRunner(server, {
      dokploy: {
        deploy: {
          mode: "auto",
          outcome: (compose) => (compose.composeFile.includes("does-not-start") ? "error" : "done"),
        },
      },
      settings: {
        github: { token: github.token, apiUrl: github.apiUrl, repository: "acme/infra" },
        publicUrl: PUBLIC_URL,
      },
      runner: { variables: (name) => variables[name] },
    });
    const { repo } = live.fixture;
    const good = repo.commit({ "iac.config.yaml": CONFIG });
    repo.tag("v1.0.0");
    const v1 = await deploy(live, "v1.0.0");
    expect(v1.state).toBe("succeeded");
    const goodHash = live.storedHash("postgres");

    const broken = repo.commit({ "platform/01.postgres/compose.yaml": BROKEN });
    repo.tag("v1.1.0");
    const v2 = await deploy(live, "v1.1.0");
    expect(v2.state).toBe("failed");
    expect(v2.services.find(({ service }) => service === "postgres")?.result?.error?.code).toBe("deploy_failed");

    // The rollback job is submitted by the report of the failed one, and runs like any job.
    let rollback: SyncJob | undefined;
    await expect
      .poll(
        async () => {
          rollback = (await live.store.listJobs({ limit: 10 })).jobs.find((job) => job.trigger === "rollback");
          return rollback?.state;
        },
        { timeout: 15_000 },
      )
      .toBe("succeeded");
    expect(rollback).toMatchObject({ env: "production", commit: good, rollbackOf: v2.id, tag: null });
    expect(rollback?.services.map(({ service, result }) => [service, result?.status])).toEqual([
      ["postgres", "updated"],
    ]);
    expect(live.composeFile("postgres")).toBe(INFRA_FILES["platform/01.postgres/compose.yaml"]);
    expect(live.storedHash("postgres")).toBe(goodHash);
    const rollbackId = rollback?.id ?? "";

    // Every job's final status reached GitHub: on the broken commit a failure, on the good one two successes.
    const statusesOf = (sha: string) =>
      github?.statuses.filter((status) => status.sha === sha).map(({ state, context }) => `${context} ${state}`);
    await expect.poll(() => statusesOf(good)?.length, { timeout: 15_000 }).toBe(4);
    await expect.poll(() => statusesOf(broken)?.length, { timeout: 15_000 }).toBe(2);
    expect(statusesOf(broken)).toEqual(["iac-runner/production pending", "iac-runner/production failure"]);
    expect(statusesOf(good)).toEqual([
      "iac-runner/production pending",
      "iac-runner/production success",
      "iac-runner/production pending",
      "iac-runner/production success",
    ]);
    const failure = github.statuses.find((status) => status.sha === broken && status.state === "failure");
    expect(failure?.target_url).toBe(`${PUBLIC_URL}/deployments/${v2.id}`);
    expect(failure?.description).toContain("postgres");
    const deployments = github.deployments.map(({ sha, environment, statuses }) => ({
      sha,
      environment,
      last: statuses.at(-1)?.state,
    }));
    await expect
      .poll(() => github?.deployments.map(({ statuses }) => statuses.at(-1)?.state))
      .toEqual(["success", "failure", "success"]);
    expect(deployments.map(({ sha, environment }) => [sha, environment])).toEqual([
      [good, "production"],
      [broken, "production"],
      [good, "production"],
    ]);
    expect(github.deployments[2]?.description).toContain(v2.id);

    // One signed message per job, the rollback naming the job it undoes.
    await expect.poll(() => receiver?.accepted("hooks").length, { timeout: 15_000 }).toBe(3);
    const messages = receiver.accepted("hooks");
    expect(messages.every(({ verified }) => verified === true)).toBe(true);
    expect(messages.map(({ body }) => (body as { job: { id: string; state: string } }).job)).toEqual([
      expect.objectContaining({ id: v1.id, state: "succeeded", rollbackOf: null }),
      expect.objectContaining({ id: v2.id, state: "failed", rollbackOf: null }),
      expect.objectContaining({ id: rollbackId, state: "succeeded", rollbackOf: v2.id }),
    ]);

    // A rollback is never rolled back, nor repeated: three jobs in all.
    await live.runner.engine.idle();
    expect((await live.store.listJobs({ limit: 10 })).jobs).toHaveLength(3);
  });
});
