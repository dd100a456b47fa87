import { chmodSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
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

  const fscks = (): number => git.commands().filter(({ args: [command] }) => command === "fsck").length;

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

  it("checks the objects once while the remote keeps failing the same way, and again after a fetch worked", async () => {
    const away = `${repo.dir}-away`;
    renameSync(repo.dir, away);
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
      }
      expect(fscks()).toBe(1);
      expect(mirror.fetchFailure()).toMatch(/git fetch failed/);
    } finally {
      renameSync(away, repo.dir);
    }
    await mirror.fetch();
    renameSync(repo.dir, away);
    try {
      await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
    } finally {
      renameSync(away, repo.dir);
    }
    expect(fscks()).toBe(2);
    expect(rebuilds()).toBe(0);
  });

  it("still rebuilds a mirror damaged during an outage once the fetch fails another way", async () => {
    const away = `${repo.dir}-away`;
    renameSync(repo.dir, away);
    try {
      await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
      await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
      // While the remote is away, the tip object of the (once sound) mirror is damaged.
      const tip = (await mirror.resolveCommit("main")) ?? "";
      const object = join(mirror.path, "objects", tip.slice(0, 2), tip.slice(2));
      chmodSync(object, 0o644);
      writeFileSync(object, "garbage");
    } finally {
      renameSync(away, repo.dir);
    }
    const third = repo.commit({ "a.txt": "3" });
    await mirror.fetch();
    expect(fscks()).toBe(2);
    expect(rebuilds()).toBe(1);
    expect(new TextDecoder().decode((await mirror.readFile(third, "a.txt")) ?? new Uint8Array())).toBe("3");
  });

  it("probes the remote from one repository of its own, made again when it is gone", async () => {
    const probes = () => git.commands().filter(({ args: [command] }) => command === "ls-remote").length;
    const made = () =>
      git.commands().filter(({ args: [command, , , target] }) => command === "init" && target?.endsWith(".probe"))
        .length;
    await mirror.probeRemote();
    await mirror.probeRemote();
    await mirror.probeRemote();
    expect({ probes: probes(), made: made() }).toEqual({ probes: 3, made: 1 });
    expect(readdirSync(dataDir).sort()).toEqual(["mirror.git", "mirror.git.probe"]);

    rmSync(`${mirror.path}.probe`, { recursive: true, force: true });
    await mirror.probeRemote();
    expect({ probes: probes(), made: made() }).toEqual({ probes: 4, made: 2 });

    // A failed probe makes the repository again at the next one, in case the repository was what failed.
    const away = `${repo.dir}-away`;
    renameSync(repo.dir, away);
    try {
      await expect(mirror.probeRemote()).rejects.toThrow(/git ls-remote failed/);
    } finally {
      renameSync(away, repo.dir);
    }
    await mirror.probeRemote();
    expect({ probes: probes(), made: made() }).toEqual({ probes: 6, made: 3 });
  });
});
