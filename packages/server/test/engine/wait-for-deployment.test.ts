import { createDokployClient } from "@iac/sdk";
import { createFakeClock } from "@iac/sdk/testing";
import { describe, expect, it } from "vitest";
import { waitForDeployment } from "../../src/engine/wait-for-deployment.js";
import { createCaptureLogger, createTestClock, type LogLine } from "./harness.js";

interface Row {
  deploymentId: string;
  status: "running" | "done" | "error" | "cancelled" | null;
  createdAt: string;
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
  const wait = (timeoutMs = 10_000) =>
    waitForDeployment({
      dokploy,
      composeId: "c1",
      known: new Set(["old"]),
      clock,
      timeoutMs,
      intervalMs: 1_000,
      logger: createCaptureLogger(lines),
    });
  return { wait, calls, lines };
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
    expect(calls()).toBe(6);
  });

  it("stops at once on an authentication failure", async () => {
    const { wait, calls } = setup([401]);
    await expect(wait()).rejects.toMatchObject({ code: "dokploy_auth_failed" });
    expect(calls()).toBe(1);
  });
});
