import type { NotifyTarget } from "@iac/sync";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNotifyReporter } from "../../../src/report/notify/create-notify-reporter.js";
import { ReportPartial, ReportRefused } from "../../../src/report/report-refused.js";
import type { JobNotification, JobReporter, JobState, NotifyReporterOptions } from "../../../src/types.js";
import { createLineLogger, type LoggedLine } from "../../helpers/runner-fixture.js";
import { finishedJob, finishedReport } from "./notify-fixtures.js";
import { type NotifyReceiver, serveNotifyReceiver } from "./notify-receiver.js";

const KEY = "whsec-0123456789";

let receiver: NotifyReceiver;
let lines: LoggedLine[];
let variables: Record<string, string>;

beforeEach(async () => {
  receiver = await serveNotifyReceiver();
  lines = [];
  variables = { HOOK_KEY: KEY };
});

afterEach(async () => {
  await receiver.close();
});

function reporter(options: Partial<NotifyReporterOptions> = {}): JobReporter {
  return createNotifyReporter({
    lookup: (name) => variables[name],
    logger: createLineLogger(lines),
    publicUrl: "https://iac.example.com/",
    ...options,
  });
}

/** A signed webhook target at the receiver's `name`, its key in `$HOOK_KEY`, which the receiver checks. */
function webhook(name: string, on: NotifyTarget["on"] = "all"): NotifyTarget {
  receiver.secret(name, KEY);
  return { type: "webhook", url: receiver.url(name), secret: "$HOOK_KEY", on };
}

/** A Slack target whose URL is in the variable `SLACK_<NAME>`. */
function slack(name: string, on: NotifyTarget["on"] = "all"): NotifyTarget {
  variables[`SLACK_${name.toUpperCase()}`] = receiver.url(name);
  return { type: "slack", url: `$SLACK_${name.toUpperCase()}`, secret: null, on };
}

describe("createNotifyReporter", () => {
  it("sends nothing when a job starts and keeps the memo", async () => {
    const report = { ...finishedReport(finishedJob("running"), [webhook("hook")]), phase: "started" as const };

    await expect(reporter().deliver(report, { kept: 1 })).resolves.toEqual({ kept: 1 });
    expect(receiver.received).toEqual([]);
  });

  it("sends one signed message per target for a job of several services", async () => {
    const job = finishedJob("failed");

    const memo = await reporter().deliver(finishedReport(job, [webhook("hook")]), null);

    const [request, ...others] = receiver.received;
    expect(others).toEqual([]);
    expect(request?.verified).toBe(true);
    expect(request?.headers).toMatchObject({
      "content-type": "application/json",
      "x-iac-event": "job.finished",
      "x-iac-signature-256": expect.stringMatching(/^sha256=[0-9a-f]{64}$/),
    });
    const body = request?.body as JobNotification;
    expect(body).toEqual({
      version: 1,
      event: "job.finished",
      job: {
        id: job.id,
        url: `https://iac.example.com/deployments/${job.id}`,
        env: "production",
        state: "failed",
        trigger: "deploy",
        commit: job.commit,
        tag: "v1.2.4",
        ref: null,
        promotedFrom: null,
        rollbackOf: null,
        triggeredBy: "ci",
        createdAt: job.createdAt,
        finishedAt: job.finishedAt,
        durationMs: 65_000,
      },
      services: [
        {
          service: "api",
          state: "failed",
          status: "failed",
          hashBefore: "old",
          hashAfter: null,
          durationMs: 1234,
          attempts: 1,
          error: { code: "deploy_failed", message: "the deploy failed" },
          supersededBy: null,
        },
        expect.objectContaining({ service: "web", state: "succeeded", status: "skipped", error: null, attempts: 2 }),
      ],
    });
    expect(memo).toEqual({ sent: [expect.any(String)], refused: [] });
  });

  it("sends nothing again when a finished report is delivered again with its memo", async () => {
    const report = finishedReport(finishedJob("failed"), [webhook("hook"), slack("chat")]);
    const notify = reporter();

    const memo = await notify.deliver(report, null);
    await expect(notify.deliver(report, memo)).resolves.toEqual(memo);

    expect(receiver.accepted("hook")).toHaveLength(1);
    expect(receiver.accepted("chat")).toHaveLength(1);
  });

  const filtering: [JobState, { failure: number; all: number }][] = [
    ["succeeded", { failure: 0, all: 1 }],
    ["failed", { failure: 1, all: 1 }],
    ["cancelled", { failure: 0, all: 1 }],
    ["superseded", { failure: 0, all: 1 }],
    ["running", { failure: 0, all: 0 }],
  ];
  it.each(filtering)("tells a %s job to on: failure %j targets accordingly", async (state, want) => {
    const report = finishedReport(finishedJob(state), [webhook("failure", "failure"), webhook("all", "all")]);

    await reporter().deliver(report, null);

    expect({ failure: receiver.accepted("failure").length, all: receiver.accepted("all").length }).toEqual(want);
  });

  it("keeps the targets that got the message when another fails, and retries only the other", async () => {
    receiver.answer("chat", 503);
    const report = finishedReport(finishedJob("failed"), [webhook("hook"), slack("chat")]);
    const notify = reporter();

    const first = await notify.deliver(report, null).catch((error: unknown) => error);
    expect(first).toBeInstanceOf(ReportPartial);
    const partial = first as ReportPartial;
    expect(partial.message).toContain("notify[1] (slack): answered 503");
    expect(partial.memo).toEqual({ sent: [expect.any(String)], refused: [] });
    const memo = await notify.deliver(report, partial.memo);

    expect(receiver.accepted("hook")).toHaveLength(1);
    expect(receiver.accepted("chat")).toHaveLength(1);
    const [hookKey] = (partial.memo as { sent: string[] }).sent;
    expect(memo).toEqual({ sent: [hookKey, expect.not.stringMatching(hookKey ?? "")], refused: [] });
  });

  it.each([
    [408, 408],
    [429, 429],
    [500, 500],
    ["a dropped connection", "drop" as const],
  ])("retries every target later when none answered (%s)", async (_, answer) => {
    receiver.answer("hook", answer);
    receiver.answer("chat", answer);
    const report = finishedReport(finishedJob("failed"), [webhook("hook"), slack("chat")]);
    const notify = reporter();

    const error = await notify.deliver(report, null).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ReportPartial);
    expect(error).not.toBeInstanceOf(ReportRefused);
    await notify.deliver(report, null);

    expect(receiver.accepted("hook")).toHaveLength(1);
    expect(receiver.accepted("chat")).toHaveLength(1);
  });

  it("retries a target that does not answer within the timeout", async () => {
    receiver.answer("hook", "hang");
    const report = finishedReport(finishedJob("failed"), [webhook("hook")]);

    await expect(reporter({ timeoutMs: 200 }).deliver(report, null)).rejects.toThrow(
      "notify[0] (webhook): expected an answer, received none (TimeoutError)",
    );
  });

  it("gives up a target whose variable is not set and still sends to the others", async () => {
    const report = finishedReport(finishedJob("failed"), [
      { type: "slack", url: "$SLACK_UNSET", secret: null, on: "all" },
      webhook("hook"),
    ]);
    const notify = reporter();

    const memo = await notify.deliver(report, null);
    variables["SLACK_UNSET"] = receiver.url("late");
    await expect(notify.deliver(report, memo)).resolves.toEqual(memo);

    expect(receiver.received.map((request) => request.name)).toEqual(["hook"]);
    expect(memo).toEqual({ sent: [expect.any(String)], refused: [expect.any(String)] });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        target: "notify[0] (slack)",
        reason: "variable $SLACK_UNSET is not set",
      }),
    );
  });

  it("keeps a refusal across a retry of the other targets, so it is neither tried nor logged again", async () => {
    receiver.answer("hook", 503);
    const report = finishedReport(finishedJob("failed"), [
      { type: "slack", url: "$SLACK_UNSET", secret: null, on: "all" },
      webhook("hook"),
    ]);
    const notify = reporter();

    const partial = (await notify.deliver(report, null).catch((error: unknown) => error)) as ReportPartial;
    expect(partial).toBeInstanceOf(ReportPartial);
    expect(partial.memo).toEqual({ sent: [], refused: [expect.any(String)] });
    // Only the target still to be tried is named: the refused one is settled.
    expect(partial.message).toBe(
      "[@iac/server] notification of job 0f1e2d3c-job not delivered to notify[1] (webhook): answered 503",
    );
    await expect(notify.deliver(report, partial.memo)).resolves.toEqual({
      sent: [expect.any(String)],
      refused: (partial.memo as { refused: string[] }).refused,
    });

    expect(receiver.accepted("hook")).toHaveLength(1);
    expect(lines.filter((line) => line.level === "error")).toHaveLength(1);
  });

  it("refuses the report when its only target's signing key is not set", async () => {
    delete variables["HOOK_KEY"];
    const report = finishedReport(finishedJob("failed"), [webhook("hook")]);

    await expect(reporter().deliver(report, null)).rejects.toThrow(
      new ReportRefused(
        "[@iac/server] every notification target of job 0f1e2d3c-job refused: notify[0] (webhook): variable $HOOK_KEY is not set",
      ),
    );
    expect(receiver.received).toEqual([]);
  });

  it("refuses a target that answers a 4xx, sends to the others, and refuses the report when all refuse", async () => {
    receiver.answer("chat", 404, 404);
    receiver.answer("gone", 410);
    const job = finishedJob("failed");
    const notify = reporter();

    await expect(notify.deliver(finishedReport(job, [slack("chat"), webhook("hook")]), null)).resolves.toEqual({
      sent: [expect.any(String)],
      refused: [expect.any(String)],
    });
    const error = await notify.deliver(finishedReport(job, [slack("chat"), slack("gone")]), null).catch((e) => e);

    expect(error).toBeInstanceOf(ReportRefused);
    expect((error as Error).message).toContain("notify[0] (slack): answered 404; notify[1] (slack): answered 410");
    expect(receiver.accepted("hook")).toHaveLength(1);
  });

  it("signs so that a receiver holding another key can tell", async () => {
    const target = webhook("hook");
    receiver.secret("hook", "another-key");

    await expect(reporter().deliver(finishedReport(finishedJob("failed"), [target]), null)).rejects.toThrow(
      "notify[0] (webhook): answered 401",
    );
    expect(receiver.received.map(({ verified, status }) => ({ verified, status }))).toEqual([
      { verified: false, status: 401 },
    ]);
  });

  it("sends the same X-Iac-Delivery on a redelivery, distinct per target", async () => {
    receiver.answer("hook", 503);
    const report = finishedReport(finishedJob("failed"), [webhook("hook"), webhook("other")]);
    const notify = reporter();

    const partial = (await notify.deliver(report, null).catch((error) => error)) as ReportPartial;
    await notify.deliver(report, partial.memo);

    const deliveries = receiver.received.map((request) => [request.name, request.headers["x-iac-delivery"]]);
    expect(deliveries).toHaveLength(3);
    // `<job id>.<16 hex digits of the target's key>`: no part of the target's URL or key.
    for (const [, id] of deliveries) {
      expect(id).toMatch(/^0f1e2d3c-job\.[0-9a-f]{16}$/);
    }
    const ids = new Map(deliveries.map(([name, id]) => [id, name]));
    expect(ids.size).toBe(2);
    expect([...ids.values()].sort()).toEqual(["hook", "other"]);
  });

  it("posts a Slack message with the outcome, a link and one line per service", async () => {
    const job = finishedJob("failed", { trigger: "rollback", rollbackOf: "job-before", promotedFrom: "v1.2.4-rc.1" });

    await reporter().deliver(finishedReport(job, [slack("chat")]), null);

    const [request] = receiver.accepted("chat");
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers["x-iac-signature-256"]).toBeUndefined();
    const body = request?.body as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(body.text).toBe(`production: job ${job.id} failed (v1.2.4, rollback)`);
    const shown = JSON.stringify(body.blocks);
    expect(body.blocks[0]?.text?.text).toBe(
      ":x: *production*: job <https://iac.example.com/deployments/0f1e2d3c-job|0f1e2d3c-job> *failed*\n" +
        "Rolls back job `job-before`\nPromotes `v1.2.4-rc.1`",
    );
    expect(shown).toContain("• *api* failed · `old` → `none` · 1.2 s · `deploy_failed`: the deploy failed");
    expect(shown).toContain("• *web* succeeded (skipped) · `old` → `new` · 1.2 s");
    expect(shown).toContain("*Duration*\\n1 min 5 s");
    expect(shown).toContain(job.commit);
  });

  it("never logs a target's URL or key", async () => {
    receiver.answer("chat", 503);
    receiver.answer("gone", 404);
    const targets = [slack("chat"), slack("gone"), webhook("hook"), { ...webhook("hang"), on: "failure" as const }];
    receiver.answer("hang", "hang");
    const report = finishedReport(finishedJob("failed"), targets);

    // Long enough for the targets that answer even on a busy machine.
    const error = await reporter({ timeoutMs: 3_000 })
      .deliver(report, null)
      .catch((reason: unknown) => reason);

    const logged = JSON.stringify(lines);
    expect(lines.map((line) => line.msg).sort()).toEqual([
      "notification not delivered; it will be retried",
      "notification not delivered; it will be retried",
      "notification refused; this target is given up",
      "notification sent",
    ]);
    for (const secret of [KEY, receiver.url(""), "127.0.0.1"]) {
      expect(logged).not.toContain(secret);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it.each<[string | undefined, string | null]>([
    ["http://iac.internal:8080//", "http://iac.internal:8080/deployments/0f1e2d3c-job"],
    [undefined, null],
  ])("links the job under the public URL %s", async (publicUrl, want) => {
    const job = finishedJob("failed");
    await reporter({ publicUrl }).deliver(finishedReport(job, [webhook("hook")]), null);
    const [request] = receiver.received;
    expect((request?.body as JobNotification | undefined)?.job.url).toBe(want);
  });

  it("is named notify: the store keeps its progress under that name", () => {
    expect(reporter().name).toBe("notify");
  });

  it("keeps the memo, sending nothing and refusing nothing, when no target wants the job", async () => {
    const report = finishedReport(finishedJob("succeeded"), [webhook("hook", "failure")]);
    await expect(reporter().deliver(report, { kept: 1 })).resolves.toEqual({ kept: 1 });
    expect(receiver.received).toEqual([]);
  });

  it.each([0, -5, 1.5, Number.NaN])("rejects a timeoutMs of %s when created", (timeoutMs) => {
    expect(() => createNotifyReporter({ lookup: () => undefined, timeoutMs })).toThrow(
      new TypeError(`[@iac/server] timeoutMs must be a positive integer of milliseconds, received ${timeoutMs}`),
    );
  });

  it("sends one message to a target listed twice", async () => {
    const report = finishedReport(finishedJob("failed"), [webhook("hook"), webhook("hook")]);

    const memo = await reporter().deliver(report, null);

    expect(receiver.received.map(({ name }) => name)).toEqual(["hook"]);
    expect(memo).toEqual({ sent: [expect.any(String)], refused: [] });
  });

  it("retries, as not delivered, a target whose variables cannot be read", async () => {
    const report = finishedReport(finishedJob("failed"), [slack("chat")]);
    const notify = reporter({
      lookup: () => {
        throw new Error("EACCES: the secrets file cannot be read");
      },
    });

    const error = await notify.deliver(report, null).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ReportRefused);
    expect((error as Error).message).toBe(
      "[@iac/server] notification of job 0f1e2d3c-job not delivered to notify[0] (slack): the runner's variables could not be read",
    );
    expect(receiver.received).toEqual([]);
  });
});
