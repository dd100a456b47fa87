import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { createGitMirror } from "../../src/git/git-mirror.js";
import type { LocalGitMirror } from "../../src/types.js";

const IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};

/** A throwaway working repository that tests commit to, served to the mirror as a `file://` remote. */
export interface TestRepo {
  readonly dir: string;
  readonly url: string;
  git(...args: string[]): string;
  /** Writes (string) or deletes (null) files, commits them all, and returns the new commit SHA. */
  commit(files: Record<string, string | null>, message?: string): string;
  tag(name: string, options?: { annotated?: boolean; commit?: string }): void;
  head(): string;
}

/** A temporary directory removed by {@link cleanupTemp}. */
export function makeTemp(prefix = "iac-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Removes directories made by {@link makeTemp}. */
export function cleanupTemp(...dirs: string[]): void {
  for (const dir of dirs) {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates an empty repository on branch `branch` in a new temporary directory. */
export function createTestRepo(branch = "main"): TestRepo {
  const dir = makeTemp("iac-repo-");
  const git = (...args: string[]): string =>
    execFileSync("git", args, { cwd: dir, env: { ...process.env, ...IDENTITY }, encoding: "utf8" }).trim();
  git("init", "--quiet", "--initial-branch", branch);
  return {
    dir,
    url: pathToFileURL(dir).href,
    git,
    commit(files, message = "change") {
      for (const [path, content] of Object.entries(files)) {
        const full = join(dir, path);
        if (content === null) {
          rmSync(full, { force: true });
        } else {
          mkdirSync(dirname(full), { recursive: true });
          writeFileSync(full, content);
        }
      }
      git("add", "--all");
      git("commit", "--quiet", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD");
    },
    tag(name, options = {}) {
      const target = options.commit ?? "HEAD";
      if (options.annotated) {
        git("tag", "-a", "-m", name, name, target);
      } else {
        git("tag", name, target);
      }
    },
    head: () => git("rev-parse", "HEAD"),
  };
}

/** A test repository, a data directory, and a mirror of the repository's `main` branch kept in that directory. */
export interface MirrorFixture {
  repo: TestRepo;
  dataDir: string;
  mirror: LocalGitMirror;
  /** Removes the repository and the data directory. */
  cleanup(): void;
}

/** Creates a {@link MirrorFixture}; nothing is committed or fetched yet. */
export function createMirrorFixture(): MirrorFixture {
  const repo = createTestRepo();
  const dataDir = makeTemp();
  return {
    repo,
    dataDir,
    mirror: createGitMirror({ url: repo.url, dataDir, branch: "main" }),
    cleanup: () => cleanupTemp(repo.dir, dataDir),
  };
}
