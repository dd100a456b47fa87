import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitMirror } from "../../src/git/git-mirror.js";
import { GitError } from "../../src/git/run-git.js";
import type { LocalGitMirror } from "../../src/types.js";
import { createMirrorFixture, type TestRepo } from "../helpers/git-repo.js";

const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : new TextDecoder().decode(bytes));

describe("createGitMirror", () => {
  let repo: TestRepo;
  let dataDir: string;
  let mirror: LocalGitMirror;
  let cleanup: () => void;

  beforeEach(() => {
    ({ repo, dataDir, mirror, cleanup } = createMirrorFixture());
  });

  afterEach(() => {
    cleanup();
  });

  it("clones on the first fetch and reports the clone", async () => {
    const first = repo.commit({ "platform/01.postgres/compose.yaml": "services: {}\n" });
    expect(await mirror.isCloned()).toBe(false);
    await mirror.fetch();
    expect(await mirror.isCloned()).toBe(true);
    expect(await mirror.resolveCommit("main")).toBe(first);
    expect(await mirror.resolveCommit("refs/heads/main")).toBe(first);
  });

  it("picks up new commits, moved branches and deleted branches on the next fetch", async () => {
    repo.commit({ "a.txt": "1" });
    repo.git("branch", "feature");
    await mirror.fetch();
    const second = repo.commit({ "a.txt": "2" });
    repo.git("branch", "-D", "feature");
    await mirror.fetch();
    expect(await mirror.resolveCommit("refs/heads/main")).toBe(second);
    expect(await mirror.resolveCommit("feature")).toBeNull();
  });

  it("follows a force push that rewrites the branch", async () => {
    repo.commit({ "a.txt": "1" });
    repo.commit({ "a.txt": "2" });
    await mirror.fetch();
    repo.git("reset", "--hard", "--quiet", "HEAD~1");
    const rewritten = repo.commit({ "b.txt": "x" }, "rewrite");
    await mirror.fetch();
    expect(await mirror.resolveCommit("main")).toBe(rewritten);
  });

  it("resolves lightweight and annotated tags to commits and reports whether tags exist", async () => {
    const first = repo.commit({ "a.txt": "1" });
    repo.tag("v1.0.0");
    const second = repo.commit({ "a.txt": "2" });
    repo.tag("v1.1.0", { annotated: true });
    await mirror.fetch();
    expect(await mirror.resolveCommit("v1.0.0")).toBe(first);
    expect(await mirror.resolveCommit("v1.1.0")).toBe(second);
    expect(await mirror.resolveCommit("refs/tags/v1.1.0")).toBe(second);
    expect(await mirror.tagExists("v1.0.0")).toBe(true);
    expect(await mirror.tagExists("v9.9.9")).toBe(false);
  });

  it("resolves an existing 40-hex commit and returns null for an unknown one", async () => {
    const first = repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    expect(await mirror.resolveCommit(first.toUpperCase())).toBe(first);
    expect(await mirror.resolveCommit("0123456789abcdef0123456789abcdef01234567")).toBeNull();
  });

  it.each([
    ["an option-like ref", "--upload-pack=touch /tmp/x"],
    ["a ref starting with a dash", "-v1"],
    ["a range", "main..v1"],
    ["a ref with a space", "v1 .0"],
    ["a ref with a colon", "main:secret"],
    ["a revision expression", "main~1"],
    ["a glob", "v*"],
    ["a control character", "v1\n"],
    ["a reflog expression", "main@{1}"],
    ["an empty ref", ""],
  ])("rejects %s before it reaches git", async (_name, ref) => {
    repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    await expect(mirror.resolveCommit(ref)).rejects.toThrow(TypeError);
    await expect(mirror.tagExists(ref)).rejects.toThrow(TypeError);
  });

  it("reads files by commit, so reads at two commits never interfere", async () => {
    const first = repo.commit({ "platform/01.postgres/compose.yaml": "image: postgres:15\n" });
    const second = repo.commit({ "platform/01.postgres/compose.yaml": "image: postgres:16\n" });
    await mirror.fetch();
    const [old, current] = await Promise.all([
      mirror.readFile(first, "platform/01.postgres/compose.yaml"),
      mirror.readFile(second, "platform/01.postgres/compose.yaml"),
    ]);
    expect(text(old)).toBe("image: postgres:15\n");
    expect(text(current)).toBe("image: postgres:16\n");
  });

  it("returns null for a missing path or a directory, and the exact bytes of a file", async () => {
    const commit = repo.commit({ "dir/file.bin": "\u00e9\u0000x", "dir/[glob].txt": "literal" });
    await mirror.fetch();
    expect(await mirror.readFile(commit, "nope.txt")).toBeNull();
    expect(await mirror.readFile(commit, "dir")).toBeNull();
    expect(text(await mirror.readFile(commit, "dir/file.bin"))).toBe("\u00e9\u0000x");
    expect(text(await mirror.readFile(commit, "dir/[glob].txt"))).toBe("literal");
  });

  it.each([["../etc/passwd"], ["/abs"], ["a//b"], ["./a"], [""]])("rejects the path %j", async (path) => {
    const commit = repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    await expect(mirror.readFile(commit, path)).rejects.toThrow(TypeError);
  });

  it.each([["main"], ["abc"], ["-p"]])("rejects %j where a 40-hex commit is required", async (commit) => {
    repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    await expect(mirror.listFiles(commit)).rejects.toThrow(TypeError);
    await expect(mirror.readFile(commit, "a.txt")).rejects.toThrow(TypeError);
    await expect(mirror.diffPaths(commit, commit)).rejects.toThrow(TypeError);
  });

  it("lists every file of a commit, recursively", async () => {
    const commit = repo.commit({ "a.txt": "1", "platform/01.postgres/compose.yaml": "x", "with space.txt": "y" });
    await mirror.fetch();
    expect((await mirror.listFiles(commit)).sort()).toEqual([
      "a.txt",
      "platform/01.postgres/compose.yaml",
      "with space.txt",
    ]);
  });

  it("diffs two commits, reporting both sides of a rename and removed files", async () => {
    const before = repo.commit({ "platform/03.minio/compose.yaml": "m", "libs/x.py": "1", "keep.txt": "k" });
    repo.git("mv", "platform/03.minio", "platform/04.minio");
    const after = repo.commit({ "libs/x.py": null });
    await mirror.fetch();
    expect((await mirror.diffPaths(before, after)).sort()).toEqual([
      "libs/x.py",
      "platform/03.minio/compose.yaml",
      "platform/04.minio/compose.yaml",
    ]);
  });

  it("treats every file as changed when there is no before commit", async () => {
    const commit = repo.commit({ "a.txt": "1", "b/c.txt": "2" });
    await mirror.fetch();
    expect((await mirror.diffPaths(null, commit)).sort()).toEqual(["a.txt", "b/c.txt"]);
  });

  it("runs one fetch at a time and lets callers that arrive during a fetch share the next one", async () => {
    const latest = repo.commit({ "a.txt": "1" });
    // A git wrapper that records when each fetch starts and ends, so overlapping fetches would show in the log.
    const log = join(dataDir, "fetch.log");
    const wrapper = join(dataDir, "git-wrapper.sh");
    writeFileSync(
      wrapper,
      `#!/bin/sh\nif [ "$1" = fetch ]; then echo start >> "${log}"; sleep 0.2; fi\ngit "$@"; rc=$?\nif [ "$1" = fetch ]; then echo end >> "${log}"; fi\nexit $rc\n`,
    );
    chmodSync(wrapper, 0o755);
    const wrapped = createGitMirror({ url: repo.url, dataDir, branch: "main", git: wrapper });
    await Promise.all([wrapped.fetch(), wrapped.fetch(), wrapped.fetch(), wrapped.fetch()]);
    expect(readFileSync(log, "utf8").trim().split("\n")).toEqual(["start", "end", "start", "end"]);
    expect(await wrapped.resolveCommit("main")).toBe(latest);
  });

  it("fails with a GitError that hides credentials when the remote does not exist", async () => {
    const broken = createGitMirror({
      url: "https://user:s3cr3t-token@127.0.0.1:1/none.git",
      dataDir,
      branch: "main",
    });
    const error = await broken.fetch().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GitError);
    expect((error as GitError).message).not.toContain("s3cr3t-token");
    await expect(broken.probeRemote()).rejects.toThrow(GitError);
  });

  it("checks that the remote answers", async () => {
    repo.commit({ "a.txt": "1" });
    await expect(mirror.probeRemote()).resolves.toBeUndefined();
  });

  it("answers lookups before the first fetch as not found instead of failing", async () => {
    expect(await mirror.resolveCommit("main")).toBeNull();
    expect(await mirror.resolveCommit("0123456789abcdef0123456789abcdef01234567")).toBeNull();
    expect(await mirror.tagExists("v1.0.0")).toBe(false);
    await expect(mirror.resolveCommit("-x")).rejects.toThrow(TypeError);
  });

  it("reuses an existing mirror after a restart", async () => {
    const commit = repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    const restarted = createGitMirror({ url: repo.url, dataDir, branch: "main" });
    expect(await restarted.isCloned()).toBe(true);
    expect(await restarted.resolveCommit("main")).toBe(commit);
  });
});
