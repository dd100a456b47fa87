import { describe, expect, it } from "vitest";
import { jobNotification } from "../../../src/report/notify/job-notification.js";
import { slackMessage } from "../../../src/report/notify/slack-message.js";
import { formatDuration } from "../../../src/report/notify/slack-text.js";
import type { JobService } from "../../../src/types.js";
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
