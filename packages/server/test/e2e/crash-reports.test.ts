// A runner killed with SIGKILL while it delivers a job's notification, then restarted on the same data folder: the
// notification is delivered after the restart (at least once), with the same delivery id, and only that once more.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cleanupTemp, makeTemp } from "../helpers/git-repo.js";
import {
  createInfraFixture,
  type InfraFixture,
  pushPayload,
  SECRET,
  webhookRequest,
} from "../helpers/runner-fixture.js";
import { type RunnerProcess, startRunnerProcess } from "../helpers/runner-process.js";
import { type ServedFake, serveFakeDokploy } from "../helpers/serve-fake.js";
import { type NotifyReceiver, serveNotifyReceiver } from "../report/notify/notify-receiver.js";

const HOOK_KEY = "a-key-the-receiver-shares";
const CONFIG = [
  "environments:",
  "  staging:",
  "    notify:",
  "      - { type: webhook, url: $HOOK_URL, secret: $HOOK_KEY, on: all }",
  "",
].join("\n");

describe("kill -9 while a notification is on its way, then restart on the same store", () => {
  let fixture: InfraFixture;
  let fake: ServedFake;
  let receiver: NotifyReceiver;
  let dataDir: string;
  let runner: RunnerProcess | undefined;

  beforeEach(async () => {
    fixture = createInfraFixture();
    fake = await serveFakeDokploy({ deploy: { mode: "auto" } });
    receiver = await serveNotifyReceiver();
    receiver.secret("hooks", HOOK_KEY);
    dataDir = makeTemp();
  });

  afterEach(async () => {
    await runner?.kill();
    runner = undefined;
    await receiver.close();
    await fake.close();
    fixture.cleanup();
    cleanupTemp(dataDir);
  });

  const start = async (): Promise<RunnerProcess> => {
    runner = await startRunnerProcess({
      WEBHOOK_SECRET: SECRET,
      GIT_REPO_URL: fixture.repo.url,
      DOKPLOY_URL: fake.dokploy.baseUrl,
      DOKPLOY_API_KEY: fake.dokploy.apiKey,
      IAC_DATA_DIR: dataDir,
      HOOK_URL: receiver.url("hooks"),
      HOOK_KEY,
    });
    return runner;
  };

  it("delivers the message after the restart, signed, with the delivery id of the lost attempt, once", async () => {
    const configured = fixture.repo.commit({ "iac.config.yaml": CONFIG });
    const first = await start();
    await expect
      .poll(() => first.lines.some((line) => line.includes("starting point")), { timeout: 15_000 })
      .toBe(true);
    // The first attempt never gets an answer: the runner is killed while it waits.
    receiver.answer("hooks", "hang");
    const after = fixture.repo.commit({
      "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n",
    });
    const request = await webhookRequest(pushPayload({ before: configured, after }));
    const answer = await fetch(`${first.url}/webhook`, {
      method: "POST",
      headers: request.headers,
      body: await request.text(),
    });
    expect(answer.status).toBe(202);
    const [id] = ((await answer.json()) as { deployments: string[] }).deployments;
    await expect.poll(() => receiver.arrived.length, { timeout: 30_000, interval: 50 }).toBe(1);
    await first.kill();
    expect(receiver.accepted("hooks")).toEqual([]);

    await start();
    await expect.poll(() => receiver.accepted("hooks").length, { timeout: 30_000, interval: 50 }).toBe(1);
    const [delivered] = receiver.accepted("hooks");
    expect(delivered?.verified).toBe(true);
    expect(delivered?.body).toMatchObject({ event: "job.finished", job: { id, state: "succeeded", env: "staging" } });
    expect(delivered?.headers["x-iac-delivery"]).toBe(receiver.arrived[0]?.delivery);
    // Longer than the report loop's interval: a second message would have gone out by now.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(receiver.arrived).toHaveLength(2);
  });
});
