import { createDokployClient } from "@iac/sdk";
import { createFakeClock } from "@iac/sdk/testing";
import { describe, expect, it, vi } from "vitest";
import { waitForDeployment } from "../../src/engine/wait-for-deployment.js";
import { createCaptureLogger, createTestClock, type LogLine } from "./harness.js";

interface Row {
  deploymentId: string;
  status: "running" | "done" | "error" | "cancelled" | null;
  createdAt: string;
  errorMessage?: string;
}

const row = (deploymentId: string, status: Row["status"], minute: number): Row => ({
  deploymentId,
  status,
  createdAt: `2026-01-01T00:${String(minute).padStart(2, "0")}:00.000Z`,
});

/** A Dokploy client whose `deployment.allByCompose` answers are scripted (a number is an error status). */
function scripted(answers: Array<Row[] | number>) {
  let calls = 0;
  const dokploy = createDokployClient({
    baseUrl: "http://dokploy.test",
    apiKey: "key",
    retry: false,
    fetch: async () => {
      const answer = answers[Math.min(calls, answers.length - 1)] ?? [];
      calls += 1;
      if (typeof answer === "number") {
        return Response.json({ message: "unavailable" }, { status: answer });
      }
      return Response.json(
        answer.map((r) => ({
          ...r,
          title: "t",
          description: null,
          logPath: "/x",
          applicationId: null,
          composeId: "c1",
        })),
      );
    },
  });
  return { dokploy, calls: () => calls };
}

function setup(answers: Array<Row[] | number>) {
  const { dokploy, calls } = scripted(answers);
  const lines: LogLine[] = [];
  const clock = createTestClock(createFakeClock());
  const wait = (timeoutMs = 10_000, signal?: AbortSignal) =>
    waitForDeployment({
      dokploy,
      composeId: "c1",
      known: new Set(["old"]),
      clock,
      timeoutMs,
      intervalMs: 1_000,
      logger: createCaptureLogger(lines),
      signal,
    });
  return { wait, calls, lines, clock };
}

describe("waitForDeployment", () => {
  it("waits for a row that did not exist before the deploy to finish, retrying polls that get no answer", async () => {
    const old = row("old", "done", 0);
    const { wait, lines } = setup([[old], 503, [row("new", "running", 1), old], [row("new", "done", 1), old]]);
    await expect(wait()).resolves.toEqual({ deploymentId: "new", status: "done", errorMessage: null });
    expect(lines.some((line) => line.level === "warn")).toBe(true);
  });

  it("takes the oldest new row as the deploy it queued", async () => {
    const { wait } = setup([[row("later", "done", 3), row("ours", "error", 2), row("old", "done", 0)]]);
    await expect(wait()).resolves.toMatchObject({ deploymentId: "ours", status: "error" });
  });

  it("fails with deploy_timeout when no new row finishes in time", async () => {
    const { wait, calls } = setup([[row("old", "done", 0)], [row("new", "running", 1), row("old", "done", 0)]]);
    await expect(wait(5_000)).rejects.toMatchObject({
      code: "deploy_timeout",
      message: expect.stringContaining("deployment new still running"),
    });
    // Polls at 0, 100, 300, 700, 1500, 2500, 3500, 4500 and 5000 ms: quick at first, then one interval apart.
    expect(calls()).toBe(9);
  });

  it("polls quickly at first and backs off to the interval", async () => {
    const { wait, clock } = setup([[row("new", "running", 1), row("old", "done", 0)]]);
    const started = clock.now();
    const stamps: number[] = [];
    const sleep = clock.sleep.bind(clock);
    clock.sleep = (ms: number) => {
      stamps.push(clock.now() - started);
      return sleep(ms);
    };
    await expect(wait(4_000)).rejects.toMatchObject({ code: "deploy_timeout" });
    expect(stamps).toEqual([0, 100, 300, 700, 1_500, 2_500, 3_500]);
  });

  it("ends at once with cancelled when the signal aborts during a poll interval, even if the clock never wakes", async () => {
    const { wait, calls, clock } = setup([[row("new", "running", 1), row("old", "done", 0)]]);
    clock.gate();
    const controller = new AbortController();
    const waiting = wait(60_000, controller.signal);
    await vi.waitFor(() => expect(clock.pending()).toBe(1), { interval: 1 });
    controller.abort({ force: false });
    await expect(waiting).rejects.toMatchObject({
      code: "cancelled",
      message: "[@iac/server] sync cancelled while waiting for deployment new",
    });
    expect(calls()).toBe(1);
  });

  it("polls no more once the signal is already aborted", async () => {
    const { wait, calls } = setup([[row("old", "done", 0)]]);
    const controller = new AbortController();
    controller.abort();
    await expect(wait(60_000, controller.signal)).rejects.toMatchObject({
      code: "cancelled",
      message: expect.stringContaining("while waiting for the deployment to start"),
    });
    expect(calls()).toBe(1);
  });

  it("keeps a deployment's errorMessage whole for redaction", async () => {
    const long = "e".repeat(500);
    const { wait } = setup([[{ ...row("new", "error", 1), errorMessage: long }]]);
    await expect(wait()).resolves.toMatchObject({ status: "error", errorMessage: long });
  });

  it("stops at once on an authentication failure", async () => {
    const { wait, calls } = setup([401]);
    await expect(wait()).rejects.toMatchObject({ code: "dokploy_auth_failed" });
    expect(calls()).toBe(1);
  });
});
