import { chmodSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createGitMirror } from "../../src/git/git-mirror.js";
import type { LocalGitMirror } from "../../src/types.js";
import { cleanupTemp, createTestRepo, makeTemp, type TestRepo } from "../helpers/git-repo.js";
import { createRecordingGit, type RecordingGit } from "../helpers/recording-git.js";

describe("createGitMirror rebuilds only a damaged mirror", () => {
  let repo: TestRepo;
  let dataDir: string;
  let git: RecordingGit;
  let mirror: LocalGitMirror;
  /** Rebuilds since the mirror was cloned (its first fetch makes one). */
  let rebuilds: () => number;

  beforeEach(async () => {
    repo = createTestRepo();
    dataDir = makeTemp();
    git = createRecordingGit(makeTemp());
    mirror = createGitMirror({ url: repo.url, dataDir, branch: "main", git: git.path });
    repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    repo.commit({ "a.txt": "2" });
    await mirror.fetch();
    const clones = git.rebuilds();
    rebuilds = () => git.rebuilds() - clones;
  });

  afterEach(async () => {
    await mirror.close();
    cleanupTemp(repo.dir, dataDir, git.dir);
  });

  it("keeps a sound mirror, without cloning again, while the remote refuses every fetch", async () => {
    const head = await mirror.resolveCommit("main");
    const away = `${repo.dir}-away`;
    renameSync(repo.dir, away);
    try {
      await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
      await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
    } finally {
      renameSync(away, repo.dir);
    }
    expect(rebuilds()).toBe(0);
    expect(await mirror.resolveCommit("main")).toBe(head);
    expect(readdirSync(dataDir)).toEqual(["mirror.git"]);
  });

  it("keeps a sound mirror when the remote is not a repository (as a proxy's error page would be)", async () => {
    writeFileSync(join(repo.dir, ".git", "HEAD"), "garbage\n");
    await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
    expect(rebuilds()).toBe(0);
  });

  it("rebuilds a mirror whose branch tip object is corrupt, once", async () => {
    // Small fetches leave loose objects: one file per object, named by its id.
    const tip = repo.head();
    const object = join(mirror.path, "objects", tip.slice(0, 2), tip.slice(2));
    chmodSync(object, 0o644);
    writeFileSync(object, "garbage");
    const third = repo.commit({ "a.txt": "3" });
    await mirror.fetch();
    expect(rebuilds()).toBe(1);
    expect(new TextDecoder().decode((await mirror.readFile(third, "a.txt")) ?? new Uint8Array())).toBe("3");
  });
});
