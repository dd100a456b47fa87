import { describe, expect, it } from "vitest";
import { jobNotification } from "../../../src/report/notify/job-notification.js";
import type { SlackMessage } from "../../../src/report/notify/slack-message.js";
import { slackMessage } from "../../../src/report/notify/slack-message.js";
import { formatDuration } from "../../../src/report/notify/slack-text.js";
import type { JobService, JobState, SyncResult } from "../../../src/types.js";
import { syncResult } from "../../store/store-fixtures.js";
import { finishedJob } from "./notify-fixtures.js";

function failedService(index: number): JobService {
  const result = {
    ...syncResult(`svc-${index}`, "failed"),
    error: { code: "deploy_failed" as const, message: "x".repeat(400) },
  };
  return { service: `svc-${index}`, state: "failed", reason: { code: "requested", message: "" }, attempts: 1, result };
}

describe("slackMessage", () => {
  it("escapes the characters Slack reads as markup in every shown value", () => {
    const job = finishedJob("failed", { env: "prod<&>", tag: "v1<b>" });
    const api = job.services[0];
    if (api?.result?.error === undefined) {
      throw new Error("fixture without an error");
    }
    api.result.error.message = "<!channel> & <https://evil.example|click>";

    const message = slackMessage(jobNotification(job, undefined));

    const shown = JSON.stringify(message);
    expect(shown).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(shown).toContain("&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
    expect(message.text).toBe(`prod&lt;&amp;&gt;: job ${job.id} failed (v1&lt;b&gt;, deploy)`);
    expect(message.blocks[0]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: ":x: *prod&lt;&amp;&gt;*: job `0f1e2d3c-job` *failed*" },
    });
  });

  it("stays within Slack's limits for a job of many services, counting those left out", () => {
    const job = finishedJob("failed", { services: Array.from({ length: 2_000 }, (_, index) => failedService(index)) });

    const { blocks } = slackMessage(jobNotification(job, undefined));

    expect(blocks.length).toBeLessThanOrEqual(50);
    const texts = blocks.flatMap((block) => ("text" in block ? [block.text.text] : []));
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(3_000);
    }
    const shown = texts.join("\n").match(/• \*svc-/g)?.length ?? 0;
    expect(texts.at(-1)).toBe(`…and ${2_000 - shown} more services`);
    expect(shown).toBeGreaterThan(0);
  });

  it("lists no service section for a job without services", () => {
    const { blocks } = slackMessage(jobNotification(finishedJob("cancelled", { services: [] }), undefined));

    expect(blocks.map((block) => block.type)).toEqual(["section", "section", "context"]);
  });
});

/** A service of `state` that never got a result (left queued by a cancel), or with `result`'s fields over a success. */
function service(name: string, state: JobService["state"], result?: Partial<SyncResult>): JobService {
  return {
    service: name,
    state,
    reason: { code: "requested", message: "" },
    attempts: 1,
    result: result === undefined ? null : { ...syncResult(name, "updated"), ...result },
  };
}

const sectionTexts = (message: SlackMessage): string[] =>
  message.blocks.flatMap((block) => (block.type === "section" && "text" in block ? [block.text.text] : []));

describe("slackMessage blocks", () => {
  it("shows the outcome, the facts, a line per service and the full commit", () => {
    const job = finishedJob("failed");
    expect(slackMessage(jobNotification(job, undefined))).toEqual({
      text: "production: job 0f1e2d3c-job failed (v1.2.4, deploy)",
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: ":x: *production*: job `0f1e2d3c-job` *failed*" } },
        {
          type: "section",
          fields: [
            { type: "mrkdwn", text: "*Commit*\n`aaaaaaa`" },
            { type: "mrkdwn", text: "*Tag*\n`v1.2.4`" },
            { type: "mrkdwn", text: "*Trigger*\ndeploy" },
            { type: "mrkdwn", text: "*Duration*\n1 min 5 s" },
            { type: "mrkdwn", text: "*By*\nci" },
          ],
        },
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text:
              "• *api* failed · `old` → `none` · 1.2 s · `deploy_failed`: the deploy failed\n" +
              "• *web* succeeded (skipped) · `old` → `new` · 1.2 s",
          },
        },
        {
          type: "context",
          elements: [{ type: "mrkdwn", text: `Commit \`${job.commit}\` · job \`0f1e2d3c-job\`` }],
        },
      ],
    });
  });

  it("leaves out what a job does not have: tag, author, duration, a service's result", () => {
    const commit = "0123456789abcdef0123456789abcdef01234567";
    const job = finishedJob("succeeded", {
      commit,
      tag: null,
      triggeredBy: null,
      trigger: "webhook",
      services: [
        service("api", "succeeded"),
        service("web", "succeeded", {
          status: "succeeded" as SyncResult["status"],
          hashBefore: null,
          hashAfter: commit,
        }),
      ],
    });
    const notification = jobNotification(job, undefined);
    const message = slackMessage({ ...notification, job: { ...notification.job, durationMs: null } });

    expect(message.text).toBe("production: job 0f1e2d3c-job succeeded (0123456, webhook)");
    expect(message.blocks[0]).toEqual({
      type: "section",
      text: { type: "mrkdwn", text: ":white_check_mark: *production*: job `0f1e2d3c-job` *succeeded*" },
    });
    expect(message.blocks[1]).toEqual({
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*Commit*\n`0123456`" },
        { type: "mrkdwn", text: "*Trigger*\nwebhook" },
      ],
    });
    expect(sectionTexts(message)[1]).toBe("• *api* succeeded\n• *web* succeeded · `none` → `0123456789ab` · 1.2 s");
  });

  it.each<[JobState, string]>([
    ["succeeded", ":white_check_mark:"],
    ["failed", ":x:"],
    ["cancelled", ":no_entry_sign:"],
    ["superseded", ":fast_forward:"],
  ])("marks a %s job with %s", (state, emoji) => {
    const message = slackMessage(jobNotification(finishedJob(state), undefined));
    expect(sectionTexts(message)[0]).toBe(`${emoji} *production*: job \`0f1e2d3c-job\` *${state}*`);
  });

  it.each([
    [300, "x".repeat(300)],
    [301, `${"x".repeat(299)}…`],
  ])("shows an error message of %d characters as at most 300", (length, shown) => {
    const failed = service("api", "failed", {
      status: "failed",
      hashBefore: null,
      hashAfter: null,
      error: { code: "deploy_failed", message: "x".repeat(length) },
    });
    const message = slackMessage(jobNotification(finishedJob("failed", { services: [failed] }), undefined));
    expect(sectionTexts(message)[1]).toBe(`• *api* failed · 1.2 s · \`deploy_failed\`: ${shown}`);
  });

  it.each([
    [1_487, 1],
    [1_488, 2],
  ])("packs service lines into one section up to 3000 characters (names of %d: %d sections)", (length, sections) => {
    // Each line is `• *<name>* succeeded`: 14 characters around the name; two of them and a newline.
    const services = [service("a".repeat(length), "succeeded"), service("b".repeat(1_484), "succeeded")];
    const message = slackMessage(jobNotification(finishedJob("succeeded", { services }), undefined));
    const lines = sectionTexts(message).slice(1);
    expect(lines).toHaveLength(sections);
    expect(lines.join("\n").split("\n")).toHaveLength(2);
  });
});

describe("formatDuration", () => {
  it.each([
    [0, "0 ms"],
    [999, "999 ms"],
    [1_000, "1.0 s"],
    [59_949, "59.9 s"],
    [60_000, "1 min 0 s"],
    [65_000, "1 min 5 s"],
    [3_725_400, "62 min 5 s"],
  ])("formats %d ms as %s", (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });
});
