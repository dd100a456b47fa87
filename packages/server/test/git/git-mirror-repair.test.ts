import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { createGitMirror } from "../../src/git/git-mirror.js";
import { createHealthMonitor } from "../../src/health/create-health-monitor.js";
import { gitCheck } from "../../src/health/dependency-checks.js";
import type { LocalGitMirror } from "../../src/types.js";
import { cleanupTemp, createMirrorFixture, makeTemp, type TestRepo } from "../helpers/git-repo.js";
import { createRecordingGit } from "../helpers/recording-git.js";

/** Ways a mirror gets damaged on disk: by an operator, a crash in the middle of a write, a full disk. */
const DAMAGES: ReadonlyArray<readonly [string, (path: string) => void]> = [
  ["deleted", (path) => rmSync(path, { recursive: true, force: true })],
  ["with a garbage HEAD", (path) => writeFileSync(join(path, "HEAD"), "garbage\n")],
  ["with an empty config", (path) => writeFileSync(join(path, "config"), "")],
  ["with an unreadable config", (path) => writeFileSync(join(path, "config"), "[[[\n")],
  ["with a ref lock left by a crash", (path) => writeFileSync(join(path, "refs/heads/main.lock"), "")],
  [
    "with truncated pack files",
    (path) => {
      const packs = join(path, "objects/pack");
      for (const name of readdirSync(packs)) {
        truncateSync(join(packs, name), 20);
      }
    },
  ],
];

describe("createGitMirror repair", () => {
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

  /** A mirror that holds two commits packed (as after a `git gc`), the second being `main`. */
  async function packedMirror(): Promise<string> {
    repo.commit({ "platform/01.postgres/compose.yaml": "image: postgres:15\n" });
    await mirror.fetch();
    const second = repo.commit({ "platform/01.postgres/compose.yaml": "image: postgres:16\n" });
    await mirror.fetch();
    repo.git("--git-dir", mirror.path, "gc", "--quiet");
    return second;
  }

  it.each(DAMAGES)("rebuilds a mirror %s on the next fetch, and reads work again", async (_name, damage) => {
    await packedMirror();
    damage(mirror.path);
    const third = repo.commit({ "platform/01.postgres/compose.yaml": "image: postgres:17\n" });
    await mirror.fetch();
    expect(await mirror.resolveCommit("main")).toBe(third);
    const file = await mirror.readFile(third, "platform/01.postgres/compose.yaml");
    expect(new TextDecoder().decode(file ?? new Uint8Array())).toBe("image: postgres:17\n");
    expect(mirror.fetchFailure()).toBeUndefined();
    expect(await mirror.isCloned()).toBe(true);
    // Nothing is left beside the mirror.
    expect(readdirSync(dataDir)).toEqual(["mirror.git"]);
  });

  it("removes, at its first fetch, what a rebuild interrupted by a crash left beside the mirror", async () => {
    await packedMirror();
    mkdirSync(`${mirror.path}.tmp-crashed/objects`, { recursive: true });
    // An earlier version probed the remote in a fresh repository each time, which a crash could leave too.
    mkdirSync(`${mirror.path}.probe-crashed/objects`, { recursive: true });
    const restarted = createGitMirror({ url: repo.url, dataDir, branch: "main" });
    await restarted.fetch();
    expect(readdirSync(dataDir)).toEqual(["mirror.git"]);
  });

  it("rebuilds once when several callers fetch a damaged mirror at the same time", async () => {
    const git = createRecordingGit(makeTemp());
    const counted = createGitMirror({ url: repo.url, dataDir, branch: "main", git: git.path });
    onTestFinished(async () => {
      await counted.close();
      cleanupTemp(git.dir);
    });
    const second = await packedMirror();
    writeFileSync(join(counted.path, "HEAD"), "garbage\n");
    await Promise.all([counted.fetch(), counted.fetch(), counted.fetch()]);
    expect(git.rebuilds()).toBe(1);
    expect(await counted.resolveCommit("main")).toBe(second);
    expect(readdirSync(dataDir)).toEqual(["mirror.git"]);
  });

  it("keeps answering reads of known commits while it replaces the mirror", async () => {
    const git = createRecordingGit(makeTemp());
    const held = createGitMirror({ url: repo.url, dataDir, branch: "main", git: git.path });
    onTestFinished(async () => {
      await held.close();
      cleanupTemp(git.dir);
    });
    const second = await packedMirror();
    const read = () => held.readFile(second, "platform/01.postgres/compose.yaml");
    // Its remote is set at its first fetch: emptied after, the config is what the fetch finds broken.
    await held.fetch();
    writeFileSync(join(held.path, "config"), "");
    // A read is in flight (its cat-file process held before it starts) when the fresh clone is ready to swap in.
    git.holdCatFile();
    const first = read();
    const fetched = held.fetch();
    await expect
      .poll(() =>
        readdirSync(dataDir).some(
          (name) => existsSync(join(dataDir, name, "iac-runner-fetched")) && name !== "mirror.git",
        ),
      )
      .toBe(true);
    // Past the clone, the swap is due at once: give it time to start (or, without the swap lock, to break the read).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = Array.from({ length: 10 }, read);
    git.releaseCatFile();
    const [, ...files] = await Promise.all([fetched, first, ...during]);
    expect(files.map((file) => new TextDecoder().decode(file ?? new Uint8Array()))).toEqual(
      Array.from({ length: 11 }, () => "image: postgres:16\n"),
    );
    expect(git.rebuilds()).toBe(1);
  });

  it("keeps the mirror and reports the failure while the remote is gone, until a fetch works again", async () => {
    const second = await packedMirror();
    const away = `${repo.dir}-away`;
    renameSync(repo.dir, away);
    await expect(mirror.fetch()).rejects.toThrow(/git fetch failed/);
    expect(mirror.fetchFailure()).toMatch(/git fetch failed/);
    expect(await mirror.resolveCommit("main")).toBe(second);
    expect(readdirSync(dataDir)).toEqual(["mirror.git"]);
    renameSync(away, repo.dir);
    await mirror.fetch();
    expect(mirror.fetchFailure()).toBeUndefined();
  });
});

describe("the git health check", () => {
  let repo: TestRepo;
  let mirror: LocalGitMirror;
  let cleanup: () => void;

  beforeEach(() => {
    ({ repo, mirror, cleanup } = createMirrorFixture());
  });

  afterEach(() => {
    cleanup();
  });

  it("turns git degraded while the runner cannot fetch, and healthy after the next successful fetch", async () => {
    repo.commit({ "a.txt": "1" });
    await mirror.fetch();
    const monitor = createHealthMonitor({ checks: { git: gitCheck(mirror) }, failureThreshold: 1 });
    await monitor.refresh();
    expect(monitor.report()).toMatchObject({ status: "healthy", checks: { git: { status: "ok" } } });

    const away = `${repo.dir}-away`;
    renameSync(repo.dir, away);
    await expect(mirror.fetch()).rejects.toThrow();
    await monitor.refresh();
    expect(monitor.report()).toMatchObject({
      status: "degraded",
      checks: { git: { status: "degraded", error: expect.stringMatching(/^the last fetch failed: /) } },
    });

    // The remote answers again, but only a fetch that works clears the failure.
    renameSync(away, repo.dir);
    await monitor.refresh();
    expect(monitor.report().status).toBe("degraded");
    await mirror.fetch();
    await monitor.refresh();
    expect(monitor.report()).toMatchObject({ status: "healthy", checks: { git: { status: "ok" } } });
  });
});
