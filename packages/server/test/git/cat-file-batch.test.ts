import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CatFileBatch, createCatFileBatch } from "../../src/git/cat-file-batch.js";
import { GitError } from "../../src/git/run-git.js";
import { cleanupTemp, createTestRepo, makeTemp, type TestRepo } from "../helpers/git-repo.js";

describe("createCatFileBatch", () => {
  let repo: TestRepo;
  let batch: CatFileBatch;
  const made: string[] = [];

  beforeEach(() => {
    repo = createTestRepo();
    batch = createCatFileBatch({ git: "git", cwd: repo.dir, timeoutMs: 10_000 });
  });

  afterEach(() => {
    batch.stop();
    cleanupTemp(repo.dir, ...made.splice(0));
  });

  it("answers many lookups in order from one process, binary content included", async () => {
    const commit = repo.commit({ "a.txt": "one\n", "b.bin": "\u0000\n\u00ff", "dir/c.txt": "" });
    const answers = await Promise.all(
      ["a.txt", "b.bin", "dir/c.txt", "dir", "none"].map((path) => batch.get(`${commit}:${path}`)),
    );
    expect(answers.map((answer) => answer?.type ?? null)).toEqual(["blob", "blob", "blob", "tree", null]);
    expect(answers[0]?.content.toString("utf8")).toBe("one\n");
    expect(answers[1]?.content).toEqual(Buffer.from("\u0000\n\u00ff"));
    expect(answers[2]?.content.length).toBe(0);
    expect((await batch.get(`${commit}^{commit}`))?.oid).toBe(commit);
  });

  it("sees objects written after it started", async () => {
    const first = repo.commit({ "a.txt": "1" });
    expect((await batch.get(`${first}:a.txt`))?.content.toString()).toBe("1");
    const second = repo.commit({ "a.txt": "2" });
    expect((await batch.get(`${second}:a.txt`))?.content.toString()).toBe("2");
  });

  it("starts a new process after stop", async () => {
    const commit = repo.commit({ "a.txt": "1" });
    await batch.get(`${commit}:a.txt`);
    batch.stop();
    expect((await batch.get(`${commit}:a.txt`))?.content.toString()).toBe("1");
  });

  it("refuses a name with a line break, which would split the request", async () => {
    await expect(batch.get("HEAD:a\nb")).rejects.toThrow(TypeError);
  });

  it("fails with a GitError when git cannot run, and when it does not answer in time", async () => {
    const missing = createCatFileBatch({ git: "/nonexistent/git", cwd: repo.dir, timeoutMs: 10_000 });
    await expect(missing.get("HEAD")).rejects.toThrow(GitError);
    const dir = makeTemp();
    made.push(dir);
    const silent = join(dir, "silent-git.sh");
    writeFileSync(silent, "#!/bin/sh\nexec sleep 30\n");
    chmodSync(silent, 0o755);
    const stuck = createCatFileBatch({ git: silent, cwd: repo.dir, timeoutMs: 50 });
    const error = await stuck.get("HEAD").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).timedOut).toBe(true);
  });
});
