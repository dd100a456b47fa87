import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitError } from "../../src/git/run-git.js";
import { createMirrorFixture, type MirrorFixture } from "../helpers/git-repo.js";

describe("LocalGitMirror.fetchPullHead and mergeBase", () => {
  let fixture: MirrorFixture;

  beforeEach(() => {
    fixture = createMirrorFixture();
  });

  afterEach(() => {
    fixture.cleanup();
  });

  it("fetches a fork's head from refs/pull/<n>/head, which the branch fetch leaves out, and keeps it", async () => {
    const { repo, mirror } = fixture;
    const base = repo.commit({ "a.txt": "1" });
    repo.git("checkout", "--quiet", "-b", "fork");
    const head = repo.commit({ "b.txt": "2" });
    repo.git("checkout", "--quiet", "main");
    repo.git("update-ref", "refs/pull/3/head", head);
    repo.git("branch", "--quiet", "-D", "fork");
    const tip = repo.commit({ "a.txt": "3" });

    await mirror.fetch();
    expect(await mirror.resolveCommit(head)).toBeNull();
    await mirror.fetchPullHead(3);
    expect(await mirror.resolveCommit(head)).toBe(head);
    expect(await mirror.resolveCommit("refs/pull/3/head")).toBe(head);
    expect(await mirror.mergeBase(tip, head)).toBe(base);
    // A later branch fetch prunes branches, not pull refs.
    await mirror.fetch();
    expect(await mirror.resolveCommit("refs/pull/3/head")).toBe(head);
  });

  it.each([0, -1, 1.5, Number.NaN, 2 ** 53])(
    "refuses the pull request number %s without running git",
    async (number) => {
      await expect(fixture.mirror.fetchPullHead(number)).rejects.toThrow(TypeError);
      expect(await fixture.mirror.isCloned()).toBe(false);
    },
  );

  it("fails with a GitError for a pull request the remote does not have", async () => {
    const { repo, mirror } = fixture;
    repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    await expect(mirror.fetchPullHead(99)).rejects.toThrow(GitError);
  });

  it("finds no merge base of unrelated histories", async () => {
    const { repo, mirror } = fixture;
    const main = repo.commit({ "a.txt": "1" });
    repo.git("checkout", "--quiet", "--orphan", "other");
    const other = repo.commit({ "b.txt": "2" });
    await mirror.fetch();
    expect(await mirror.mergeBase(main, other)).toBeNull();
    expect(await mirror.mergeBase(main, "f".repeat(40))).toBeNull();
  });
});
