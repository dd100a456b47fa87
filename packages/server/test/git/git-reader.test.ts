import { afterEach, describe, expect, it } from "vitest";
import { createGitReader } from "../../src/git/git-reader.js";
import { cleanupTemp, createTestRepo, type TestRepo } from "../helpers/git-repo.js";

const repos: TestRepo[] = [];

function clone(): TestRepo {
  const repo = createTestRepo();
  repos.push(repo);
  return repo;
}

afterEach(() => cleanupTemp(...repos.splice(0).map((repo) => repo.dir)));

describe("createGitReader", () => {
  it("reads a working clone from its object store, not from its working tree", async () => {
    const repo = clone();
    const commit = repo.commit({ "platform/01.pg/compose.yaml": "image: postgres:16\n" });
    repo.commit({ "platform/01.pg/compose.yaml": "image: postgres:17\n" });
    const git = createGitReader({ cwd: repo.dir });
    const bytes = await git.readFile(commit, "platform/01.pg/compose.yaml");
    expect(new TextDecoder().decode(bytes ?? new Uint8Array())).toBe("image: postgres:16\n");
    expect(await git.listFiles(commit)).toEqual(["platform/01.pg/compose.yaml"]);
  });

  it("resolves any revision an operator types to a full commit", async () => {
    const repo = clone();
    const first = repo.commit({ "a.txt": "1" });
    const second = repo.commit({ "a.txt": "2" });
    repo.tag("v1.0.0", { annotated: true, commit: first });
    repo.git("branch", "feature", first);
    const git = createGitReader({ cwd: repo.dir });
    expect(await git.resolveRevision("HEAD")).toBe(second);
    expect(await git.resolveRevision("HEAD~1")).toBe(first);
    expect(await git.resolveRevision("v1.0.0")).toBe(first);
    expect(await git.resolveRevision("feature")).toBe(first);
    expect(await git.resolveRevision(first.slice(0, 12))).toBe(first);
    expect(await git.resolveRevision(second.toUpperCase())).toBe(second);
  });

  it.each([
    ["an unknown name", "no-such-branch"],
    ["an option", "--output=/tmp/x"],
    ["a tree", "HEAD^{tree}"],
    ["an unknown commit", "0123456789abcdef0123456789abcdef01234567"],
  ])("resolves %s to null", async (_name, revision) => {
    const repo = clone();
    repo.commit({ "a.txt": "1" });
    expect(await createGitReader({ cwd: repo.dir }).resolveRevision(revision)).toBeNull();
  });

  it("keeps resolveCommit to ref names and full SHAs", async () => {
    const repo = clone();
    repo.commit({ "a.txt": "1" });
    const git = createGitReader({ cwd: repo.dir });
    await expect(git.resolveCommit("HEAD~1")).rejects.toThrow(TypeError);
    expect(await git.resolveCommit("main")).toBe(repo.head());
  });
});
