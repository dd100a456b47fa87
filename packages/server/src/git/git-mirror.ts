import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { noopLogger } from "../logging/noop-logger.js";
import type { GitMirrorOptions, LocalGitMirror, Logger, RunnerSettings } from "../types.js";
import { assertRef, createGitReader } from "./git-reader.js";
import { isCommitSha } from "./ref-name.js";
import { runGit } from "./run-git.js";

const FETCH_REFSPECS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"] as const;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Creates a bare mirror of the infrastructure repository at `<dataDir>/mirror.git`. Reads always name a commit, so
 * concurrent syncs at different commits never share a working tree; fetches run one at a time, and callers that
 * arrive during a fetch share the next one.
 *
 * @example
 * const git = createGitMirror({ url: "https://github.com/acme/infra.git", dataDir: "/var/lib/iac", branch: "main" });
 * await git.fetch();
 * const head = await git.resolveCommit("refs/heads/main");
 */
export function createGitMirror(options: GitMirrorOptions): LocalGitMirror {
  const git = options.git ?? "git";
  const logger = options.logger ?? noopLogger;
  const fetchTimeoutMs = options.fetchTimeoutMs ?? 120_000;
  const readTimeoutMs = options.readTimeoutMs ?? 30_000;
  const path = join(options.dataDir, "mirror.git");
  const marker = join(path, "iac-runner-fetched");

  const reader = createGitReader({ cwd: path, git, readTimeoutMs });
  const read = (args: readonly string[]) => runGit(git, args, { cwd: path, timeoutMs: readTimeoutMs });

  async function ensureRepository(): Promise<void> {
    if (await exists(join(path, "HEAD"))) {
      return;
    }
    await mkdir(options.dataDir, { recursive: true });
    // Initialise beside the final path and rename, so a crash never leaves a half-made repository behind.
    const staging = `${path}.tmp-${process.pid}-${Date.now()}`;
    await runGit(git, ["init", "--bare", "--quiet", staging], { timeoutMs: readTimeoutMs });
    await rm(path, { recursive: true, force: true });
    await rename(staging, path);
  }

  // The URL (which may carry a token) lives in the mirror's config: set once, then every command names "origin",
  // so it is neither parsed as an option nor shown in the process list on every fetch and health probe.
  let remoteReady: Promise<void> | undefined;
  function ensureRemote(): Promise<void> {
    remoteReady ??= ensureRepository()
      .then(() => read(["config", "remote.origin.url", options.url]))
      .then(() => undefined)
      .catch((error: unknown) => {
        remoteReady = undefined;
        throw error;
      });
    return remoteReady;
  }

  async function fetchOnce(): Promise<void> {
    const started = Date.now();
    await ensureRemote();
    await runGit(git, ["fetch", "--prune", "--quiet", "--no-write-fetch-head", "origin", ...FETCH_REFSPECS], {
      cwd: path,
      timeoutMs: fetchTimeoutMs,
    });
    await writeFile(marker, new Date().toISOString());
    logger.debug({ durationMs: Date.now() - started }, "git fetch done");
  }

  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  function fetch(): Promise<void> {
    if (running === undefined) {
      running = fetchOnce().finally(() => {
        running = undefined;
      });
      return running;
    }
    // A fetch is in flight and may have started before the caller's push existed: share one follow-up fetch.
    if (queued === undefined) {
      const previous = running;
      queued = previous
        .catch(() => undefined)
        .then(() => {
          queued = undefined;
          return fetch();
        });
    }
    return queued;
  }

  // Before the first fetch there is no repository to read: refs resolve to nothing (still validated, so a bad ref
  // is refused the same way before and after the clone).
  async function resolveCommit(ref: string): Promise<string | null> {
    if (!(await exists(join(path, "HEAD")))) {
      if (!isCommitSha(ref)) {
        assertRef(ref);
      }
      return null;
    }
    return reader.resolveCommit(ref);
  }

  async function tagExists(tag: string): Promise<boolean> {
    if (!(await exists(join(path, "HEAD")))) {
      assertRef(tag);
      return false;
    }
    return reader.tagExists(tag);
  }

  async function probeRemote(timeoutMs = 5_000): Promise<void> {
    await ensureRemote();
    await runGit(git, ["ls-remote", "--heads", "--exit-code", "origin", `refs/heads/${assertRef(options.branch)}`], {
      cwd: path,
      timeoutMs,
      allowExitCodes: [2],
    });
  }

  return {
    path,
    fetch,
    resolveCommit,
    tagExists,
    listFiles: reader.listFiles,
    readFile: reader.readFile,
    diffPaths: reader.diffPaths,
    isAncestor: reader.isAncestor,
    isCloned: () => exists(marker),
    probeRemote,
  };
}

/** The mirror of the repository and branch that `settings` name, kept under their data directory. */
export function mirrorFromSettings(settings: RunnerSettings, logger: Logger): LocalGitMirror {
  return createGitMirror({
    url: settings.gitRepoUrl,
    dataDir: settings.dataDir,
    branch: settings.gitBranch,
    logger: logger.child({ component: "git" }),
  });
}
