import { delimiter } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRunner } from "../src/create-runner.js";
import { cleanupTemp, makeTemp } from "./helpers/git-repo.js";
import { createRecordingGit } from "./helpers/recording-git.js";
import {
  createInfraFixture,
  createStubEngine,
  memoryStore,
  pushPayload,
  stubRunnerOptions,
  webhookRequest,
} from "./helpers/runner-fixture.js";

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("runner.close and the git mirror", () => {
  const made: string[] = [];

  afterEach(() => {
    vi.unstubAllEnvs();
    cleanupTemp(...made.splice(0));
  });

  it("stops the cat-file process of the mirror it created", async () => {
    const dir = makeTemp();
    const git = createRecordingGit(dir);
    // The runner makes its mirror from the settings, which name no git binary: it runs the first on PATH.
    vi.stubEnv("PATH", `${dir}${delimiter}${process.env["PATH"] ?? ""}`);
    const fixture = createInfraFixture();
    made.push(dir, fixture.repo.dir, fixture.dataDir);
    const engine = createStubEngine(await memoryStore());
    const runner = await createRunner(stubRunnerOptions(fixture, engine, { git: undefined }));
    const after = fixture.repo.commit({ "platform/01.postgres/compose.yaml": "services: {}\n" });
    const payload = pushPayload({
      before: fixture.initial,
      after,
      files: { modified: ["platform/01.postgres/compose.yaml"] },
    });
    expect((await runner.fetch(await webhookRequest(payload))).status).toBe(202);
    const started = git
      .commands()
      .filter(({ args }) => args[0] === "cat-file")
      .map(({ pid }) => pid);
    expect(started.length).toBeGreaterThan(0);
    expect(started.filter(isRunning)).not.toEqual([]);

    await runner.close();
    expect(started.filter(isRunning)).toEqual([]);
  });

  it("leaves a mirror it was given open", async () => {
    const fixture = createInfraFixture();
    made.push(fixture.repo.dir, fixture.dataDir);
    const engine = createStubEngine(await memoryStore());
    const runner = await createRunner(stubRunnerOptions(fixture, engine));
    await fixture.mirror.fetch();
    await runner.close();
    expect(await fixture.mirror.readFile(fixture.initial, "libs/common.py")).toEqual(
      new TextEncoder().encode("x = 1\n"),
    );
    await fixture.mirror.close();
  });
});
