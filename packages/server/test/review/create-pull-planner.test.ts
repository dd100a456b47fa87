import { describe, expect, it } from "vitest";
import { ReportRefused } from "../../src/report/report-refused.js";
import type { PlanComments } from "../../src/review/create-plan-comments.js";
import { createPullPlanner } from "../../src/review/create-pull-planner.js";
import { PullHeadGone } from "../../src/review/plan-pull-request.js";
import type { PullPlan, PullRequestRef } from "../../src/types.js";
import { gate } from "../helpers/gated-work.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";

const HOUR = 3_600_000;
const sha = (n: number): string => n.toString(16).padStart(40, "0");

function pull(number: number, head: number, delivery = `d-${number}-${head}`): PullRequestRef {
  return { number, head: sha(head), delivery };
}

function planOf(ref: PullRequestRef): PullPlan {
  return { env: "staging", number: ref.number, head: ref.head, problems: [], services: [] };
}

/** Comments that record what was written, by pull request. */
function recordingComments(): PlanComments & { written: [number, string][] } {
  const written: [number, string][] = [];
  return {
    written,
    async upsert(number, _marker, body) {
      written.push([number, body]);
      return "created";
    },
  };
}

describe("createPullPlanner", () => {
  it("plans the newest head of a pull request: a newer one replaces the one waiting", async () => {
    const held = gate();
    const planned: string[] = [];
    const comments = recordingComments();
    const planner = createPullPlanner({
      async plan(ref) {
        planned.push(`#${ref.number}@${ref.head.slice(-1)}`);
        await held.promise;
        return planOf(ref);
      },
      comments,
      logger: createLineLogger([]),
    });
    expect(planner.submit(pull(1, 1))).toBe("queued");
    expect(planner.submit(pull(1, 2))).toBe("queued");
    expect(planner.submit(pull(2, 3))).toBe("queued");
    expect(planner.submit(pull(1, 4))).toBe("queued");
    held.open();
    await planner.idle();
    expect(planned).toEqual(["#1@1", "#2@3", "#1@4"]);
    expect(comments.written.map(([number]) => number)).toEqual([1, 2, 1]);
    expect(comments.written[0]?.[1]).toContain("<!-- iac-runner:plan:staging -->");
  });

  it("answers a delivery it saw before as a duplicate, even after its plan ran", async () => {
    const comments = recordingComments();
    const planner = createPullPlanner({ plan: async (ref) => planOf(ref), comments, logger: createLineLogger([]) });
    expect(planner.submit(pull(1, 1, "delivery"))).toBe("queued");
    expect(planner.submit(pull(1, 2, "delivery"))).toBe("duplicate");
    await planner.idle();
    expect(planner.submit(pull(1, 1, "delivery"))).toBe("duplicate");
    await planner.idle();
    expect(comments.written).toHaveLength(1);
  });

  it("retries a failed plan a bounded number of times, then gives it up", async () => {
    const lines: LoggedLine[] = [];
    let attempts = 0;
    const planner = createPullPlanner({
      async plan() {
        attempts += 1;
        throw new Error("GitHub answered 502");
      },
      comments: recordingComments(),
      logger: createLineLogger(lines),
      retryDelaysMs: [0, 0],
    });
    planner.submit(pull(1, 1));
    await planner.idle();
    expect(attempts).toBe(3);
    expect(lines.map((line) => line.msg)).toEqual([
      "pull request plan failed; retrying",
      "pull request plan failed; retrying",
      "pull request plan given up",
    ]);
  });

  it.each([
    ["a refusal", new ReportRefused("GitHub refused with 403"), "error", "pull request plan given up"],
    ["a head that is gone", new PullHeadGone("head is not in the repository"), "info", "pull request plan skipped"],
  ])("tries %s once", async (_, failure, level, message) => {
    const lines: LoggedLine[] = [];
    let attempts = 0;
    const planner = createPullPlanner({
      async plan() {
        attempts += 1;
        throw failure;
      },
      comments: recordingComments(),
      logger: createLineLogger(lines),
      retryDelaysMs: [0, 0],
    });
    planner.submit(pull(1, 1));
    await planner.idle();
    expect(attempts).toBe(1);
    expect(lines.map((line) => [line.level, line.msg])).toEqual([[level, message]]);
  });

  it("drops a plan waiting to retry when a newer head of its pull request arrives", async () => {
    const planned: string[] = [];
    const lines: LoggedLine[] = [];
    const planner = createPullPlanner({
      async plan(ref) {
        planned.push(ref.head.slice(-1));
        if (ref.head === sha(1)) {
          throw new Error("GitHub did not answer");
        }
        return planOf(ref);
      },
      comments: recordingComments(),
      logger: createLineLogger(lines),
      retryDelaysMs: [HOUR],
    });
    planner.submit(pull(1, 1));
    // Pausing an hour before its retry.
    await expect.poll(() => lines.some((line) => line.msg === "pull request plan failed; retrying")).toBe(true);
    planner.submit(pull(1, 2));
    await planner.idle();
    expect(planned).toEqual(["1", "2"]);
  });

  it("keeps at most 100 pull requests waiting, dropping the one waiting longest", async () => {
    const held = gate();
    const lines: LoggedLine[] = [];
    const planned: number[] = [];
    const planner = createPullPlanner({
      async plan(ref) {
        planned.push(ref.number);
        await held.promise;
        return planOf(ref);
      },
      comments: recordingComments(),
      logger: createLineLogger(lines),
    });
    for (let number = 1; number <= 102; number++) {
      planner.submit(pull(number, number));
    }
    held.open();
    await planner.idle();
    expect(planned).toHaveLength(101);
    expect(planned).not.toContain(2);
    expect(lines.filter((line) => line.msg?.includes("dropped")).map((line) => line["pullRequest"])).toEqual([2]);
  });

  it("closes without waiting out a retry pause, and plans nothing afterwards", async () => {
    let attempts = 0;
    const failed = gate();
    const planner = createPullPlanner({
      async plan() {
        attempts += 1;
        failed.open();
        throw new Error("GitHub did not answer");
      },
      comments: recordingComments(),
      logger: createLineLogger([]),
      retryDelaysMs: [HOUR],
    });
    planner.submit(pull(1, 1));
    await failed.promise;
    await planner.close();
    planner.submit(pull(2, 1));
    await planner.idle();
    expect(attempts).toBe(1);
  });
});
