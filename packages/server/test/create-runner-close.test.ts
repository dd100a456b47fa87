import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRunner } from "../src/create-runner.js";
import { cleanupTemp, makeTemp } from "./helpers/git-repo.js";
import {
  createInfraFixture,
  createStubEngine,
  memoryStore,
  pushPayload,
  stubRunnerOptions,
  webhookRequest,
} from "./helpers/runner-fixture.js";

/** Puts a `git` first on PATH that notes the pid of every `git cat-file` it runs, then runs the real git as itself. */
function recordCatFilePids(): { pids: () => number[]; dir: string } {
  const dir = makeTemp();
  const log = join(dir, "cat-file.pids");
  writeFileSync(log, "");
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  writeFileSync(
    join(dir, "git"),
    `#!/bin/sh\nif [ "$1" = cat-file ]; then echo $$ >> ${JSON.stringify(log)}; fi\nexec ${JSON.stringify(realGit)} "$@"\n`,
  );
  chmodSync(join(dir, "git"), 0o755);
  vi.stubEnv("PATH", `${dir}${delimiter}${process.env["PATH"] ?? ""}`);
  const pids = () => readFileSync(log, "utf8").split("\n").filter(Boolean).map(Number);
  return { pids, dir };
}

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
    const { pids, dir } = recordCatFilePids();
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
    const started = pids();
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
