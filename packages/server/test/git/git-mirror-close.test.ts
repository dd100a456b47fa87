import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitError } from "../../src/git/run-git.js";
import { createMirrorFixture, type MirrorFixture } from "../helpers/git-repo.js";

describe("LocalGitMirror.close", () => {
  let fixture: MirrorFixture;

  beforeEach(() => {
    fixture = createMirrorFixture();
  });

  afterEach(() => {
    fixture.cleanup();
  });

  it("can be called twice, and then fails reads and fetches clearly instead of starting git again", async () => {
    const { mirror, repo } = fixture;
    const commit = repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    expect(await mirror.readFile(commit, "a.txt")).toEqual(new TextEncoder().encode("1"));
    await mirror.close();
    await mirror.close();
    for (const attempt of [
      () => mirror.readFile(commit, "a.txt"),
      () => mirror.resolveCommit(commit),
      () => mirror.listFiles(commit),
      () => mirror.fetch(),
    ]) {
      const error = await attempt().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(GitError);
      expect((error as GitError).message).toMatch(/the mirror is closed$/);
    }
  });
});
