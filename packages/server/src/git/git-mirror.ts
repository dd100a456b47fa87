import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { noopLogger } from "../logging/noop-logger.js";
import type { GitMirrorOptions, LocalGitMirror, Logger, RunnerSettings } from "../types.js";
import { isCommitSha, refNameProblem } from "./ref-name.js";
import { runGit } from "./run-git.js";

const FETCH_REFSPECS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"] as const;

function assertCommit(commit: string): string {
  if (!isCommitSha(commit)) {
    throw new TypeError(`[@iac/server] invalid commit: expected 40 hex characters, received ${JSON.stringify(commit)}`);
  }
  return commit.toLowerCase();
}

function assertRef(ref: string): string {
  const problem = refNameProblem(ref);
  if (problem !== undefined) {
    throw new TypeError(`[@iac/server] invalid ref ${JSON.stringify(ref)}: it ${problem}`);
  }
  return ref;
}

function assertPath(path: string): string {
  if (
    path === "" ||
    path.startsWith("/") ||
    path.includes("\u0000") ||
    path.split("/").some((p) => p === ".." || p === "." || p === "")
  ) {
    throw new TypeError(
      `[@iac/server] invalid repository path: expected a relative "a/b" path, received ${JSON.stringify(path)}`,
    );
  }
  return path;
}

function splitNul(output: Buffer): string[] {
  return output
    .toString("utf8")
    .split("\u0000")
    .filter((entry) => entry !== "");
}

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

  const read = (args: readonly string[], allowExitCodes?: readonly number[]) =>
    runGit(git, args, { cwd: path, timeoutMs: readTimeoutMs, allowExitCodes });

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

  async function resolveCommit(ref: string): Promise<string | null> {
    if (!(await exists(join(path, "HEAD")))) {
      assertRef(isCommitSha(ref) ? "HEAD" : ref);
      return null;
    }
    const candidates = isCommitSha(ref)
      ? [ref.toLowerCase()]
      : assertRef(ref).startsWith("refs/")
        ? [ref]
        : [`refs/tags/${ref}`, `refs/heads/${ref}`];
    for (const candidate of candidates) {
      const { stdout, code } = await read(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", `${candidate}^{commit}`],
        [1, 128],
      );
      if (code === 0) {
        return stdout.toString("utf8").trim();
      }
    }
    return null;
  }

  async function tagExists(tag: string): Promise<boolean> {
    if (!(await exists(join(path, "HEAD")))) {
      assertRef(tag);
      return false;
    }
    const { code } = await read(["show-ref", "--verify", "--quiet", `refs/tags/${assertRef(tag)}`], [1]);
    return code === 0;
  }

  async function listFiles(commit: string): Promise<string[]> {
    const { stdout } = await read(["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", assertCommit(commit)]);
    const files: string[] = [];
    for (const entry of splitNul(stdout)) {
      // "<mode> SP <type> SP <object> TAB <path>"; submodules (type "commit") are not files.
      const tab = entry.indexOf("\t");
      const [, type] = entry.slice(0, tab).split(" ");
      if (type === "blob") {
        files.push(entry.slice(tab + 1));
      }
    }
    return files;
  }

  async function readFile(commit: string, filePath: string): Promise<Uint8Array | null> {
    const target = assertPath(filePath);
    const { stdout } = await read([
      "ls-tree",
      "-z",
      "--full-tree",
      "--end-of-options",
      assertCommit(commit),
      "--",
      target,
    ]);
    for (const entry of splitNul(stdout)) {
      const tab = entry.indexOf("\t");
      const [, type, object] = entry.slice(0, tab).split(" ");
      if (type === "blob" && object !== undefined && entry.slice(tab + 1) === target) {
        const blob = await read(["cat-file", "blob", object]);
        return new Uint8Array(blob.stdout.buffer, blob.stdout.byteOffset, blob.stdout.byteLength);
      }
    }
    return null;
  }

  async function diffPaths(before: string | null, after: string): Promise<string[]> {
    if (before === null) {
      return listFiles(after);
    }
    const { stdout } = await read([
      "diff-tree",
      "-r",
      "-z",
      "--name-only",
      "--no-renames",
      "--no-commit-id",
      "--end-of-options",
      assertCommit(before),
      assertCommit(after),
    ]);
    return splitNul(stdout);
  }

  async function isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    // Exit 1 means "not an ancestor"; 128 means an object is missing, which here also means "not reachable".
    const { code } = await read(
      ["merge-base", "--is-ancestor", "--end-of-options", assertCommit(ancestor), assertCommit(descendant)],
      [1, 128],
    );
    return code === 0;
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
    listFiles,
    readFile,
    diffPaths,
    isAncestor,
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
