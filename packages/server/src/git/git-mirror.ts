import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { noopLogger } from "../logging/noop-logger.js";
import type { GitMirrorOptions, LocalGitMirror, Logger, RunnerSettings } from "../types.js";
import { createCatFileBatch } from "./cat-file-batch.js";
import { assertCommit, assertPath, assertRef, createGitReader } from "./git-reader.js";
import { isCommitSha } from "./ref-name.js";
import { GitError, runGit } from "./run-git.js";
import { createSwapLock } from "./swap-lock.js";

const FETCH_REFSPECS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"] as const;
const FETCHED_MARKER = "iac-runner-fetched";

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
 * The mirror repairs itself: a fetch that finds it missing clones it again, and a fetch that fails in a mirror shown
 * damaged (a crash or a full disk left it corrupt, a lock file behind, its config gone) is tried once more in a fresh
 * repository beside it, which replaces it when that fetch works. Reads wait while the directory is swapped. A fetch
 * that fails in a sound mirror (the remote refuses, the network or the credential fails) keeps it as it is, and
 * `fetchFailure()` says why until a fetch works again.
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
  const lock = createSwapLock();
  const reader = createGitReader({ cwd: path, git, readTimeoutMs });
  // Objects are read through one long-lived process; refs, which fetches move, through the reader's own processes.
  const objects = createCatFileBatch({ git, cwd: path, timeoutMs: readTimeoutMs });
  let failure: string | undefined;
  /** The failed fetch's message after which the mirror was last found sound; cleared once a fetch works. */
  let soundDespite: string | undefined;
  let closed = false;

  /** Runs a read beside the others (never during a swap); after `close()` it fails instead of starting git again. */
  const read = <T>(work: () => Promise<T>): Promise<T> =>
    closed ? Promise.reject(closedError("read")) : lock.shared(work);

  // The URL (which may carry a token) lives in the repository's config: set once, then every command names "origin",
  // so it is neither parsed as an option nor shown in the process list on every fetch and health probe.
  const setRemote = (dir: string) =>
    runGit(git, ["config", "remote.origin.url", options.url], { cwd: dir, timeoutMs: readTimeoutMs });

  /**
   * A new bare repository beside the mirror for a rebuild, its remote set; the caller renames or removes it.
   */
  async function createStaging(): Promise<string> {
    await mkdir(options.dataDir, { recursive: true });
    const staging = await mkdtemp(`${path}.tmp-`);
    await runGit(git, ["init", "--bare", "--quiet", staging], { timeoutMs: readTimeoutMs });
    await setRemote(staging);
    return staging;
  }

  async function fetchInto(dir: string): Promise<void> {
    await runGit(git, ["fetch", "--prune", "--quiet", "--no-write-fetch-head", "origin", ...FETCH_REFSPECS], {
      cwd: dir,
      timeoutMs: fetchTimeoutMs,
    });
    await writeFile(join(dir, FETCHED_MARKER), new Date().toISOString());
  }

  /** Moves `staging` to the mirror's place once no read runs; a crash in between leaves no half-made mirror. */
  function install(staging: string): Promise<void> {
    return lock.exclusive(async () => {
      await objects.stop();
      await rm(path, { recursive: true, force: true });
      await rename(staging, path);
    });
  }

  /** Clones into a fresh repository and puts it in the mirror's place. */
  async function rebuild(): Promise<void> {
    const staging = await createStaging();
    try {
      await fetchInto(staging);
      await install(staging);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  // Rebuilds run inside fetches, one at a time: at a process's first fetch, a rebuild directory is what a crash left.
  let leftoversRemoved = false;
  async function removeLeftovers(): Promise<void> {
    if (leftoversRemoved) {
      return;
    }
    leftoversRemoved = true;
    // Earlier versions probed in a fresh `.probe-` repository each time: a crash could leave one behind too.
    const prefixes = [`${basename(path)}.tmp-`, `${basename(path)}.probe-`];
    const names = await readdir(options.dataDir).catch(() => []);
    await Promise.all(
      names
        .filter((name) => prefixes.some((prefix) => name.startsWith(prefix)))
        .map((name) => rm(join(options.dataDir, name), { recursive: true, force: true })),
    );
  }

  /**
   * Why the mirror itself is broken, or undefined when it looks sound: git cannot open it (a garbage HEAD, an
   * unreadable config), its config lost the remote, a crash left a ref lock (which `fetchError` reports), or objects
   * it refers to cannot be read (truncated packs). Only then is a fetch worth trying in a fresh clone: a remote that
   * refuses, a network error or a bad credential fails the same way there, and a large repository would be cloned
   * again on every fetch.
   */
  async function localDamage(fetchError: unknown): Promise<string | undefined> {
    const message = fetchError instanceof Error ? fetchError.message : String(fetchError);
    if (fetchError instanceof GitError && /cannot lock ref|\.lock'?: File exists/.test(message)) {
      return "a ref lock was left behind";
    }
    const checks: ReadonlyArray<readonly [string, readonly string[]]> = [
      ["its remote is not configured", ["config", "--get", "remote.origin.url"]],
      ["its objects are damaged", ["fsck", "--connectivity-only", "--no-progress"]],
    ];
    for (const [damage, args] of checks) {
      // The objects are checked once per failure: while the remote keeps failing the same way (an outage), polls and
      // webhooks do not read the whole object store again on each fetch. A failure that reads differently is checked.
      if (args[0] === "fsck" && message === soundDespite) {
        return undefined;
      }
      try {
        await runGit(git, args, { cwd: path, timeoutMs: fetchTimeoutMs });
      } catch (error) {
        if (error instanceof GitError && error.timedOut) {
          return undefined;
        }
        return damage;
      }
    }
    soundDespite = message;
    return undefined;
  }

  let remoteReady: Promise<unknown> | undefined;
  async function fetchExisting(): Promise<void> {
    try {
      remoteReady ??= setRemote(path);
      await remoteReady;
      await fetchInto(path);
    } catch (error) {
      remoteReady = undefined;
      const damage = await localDamage(error);
      if (damage === undefined) {
        // The remote's (or the network's) doing: the mirror is kept, and the next fetch tries it again.
        throw error;
      }
      logger.debug({ err: error, damage }, "git fetch failed in a damaged mirror; fetching into a fresh one");
      await rebuild().catch((second: unknown) => {
        logger.debug({ err: second }, "the fresh fetch failed too: the mirror is kept");
        throw error;
      });
      logger.warn({ err: error, damage }, "git fetch failed in a damaged mirror; rebuilt it from a fresh fetch");
    }
  }

  async function fetchOnce(): Promise<void> {
    const started = Date.now();
    try {
      await removeLeftovers();
      if (await exists(join(path, "HEAD"))) {
        await fetchExisting();
      } else {
        await rebuild();
      }
      failure = undefined;
      soundDespite = undefined;
    } catch (error) {
      failure = error instanceof Error ? error.message : "git fetch failed";
      throw error;
    }
    logger.debug({ durationMs: Date.now() - started }, "git fetch done");
  }

  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;

  function fetch(): Promise<void> {
    if (closed) {
      return Promise.reject(closedError("fetch"));
    }
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
  const resolveCommit = (ref: string): Promise<string | null> =>
    read(async () => {
      if (!(await exists(join(path, "HEAD")))) {
        if (!isCommitSha(ref)) {
          assertRef(ref);
        }
        return null;
      }
      if (isCommitSha(ref)) {
        const object = await objects.get(`${ref.toLowerCase()}^{commit}`);
        return object?.type === "commit" ? object.oid : null;
      }
      return reader.resolveCommit(ref);
    });

  const tagExists = (tag: string): Promise<boolean> =>
    read(async () => {
      if (!(await exists(join(path, "HEAD")))) {
        assertRef(tag);
        return false;
      }
      return reader.tagExists(tag);
    });

  // Probes run in a repository of their own, so a probe never races a rebuild of the mirror. It is made once and
  // reused (a health check probes every 30 s); made again when it is gone, and after a failed probe in case it was
  // what failed.
  const probePath = `${path}.probe`;
  let probeReady: Promise<unknown> | undefined;
  async function probeRemote(timeoutMs = 5_000): Promise<void> {
    const branch = `refs/heads/${assertRef(options.branch)}`;
    try {
      if (probeReady !== undefined && !(await exists(join(probePath, "HEAD")))) {
        probeReady = undefined;
      }
      probeReady ??= mkdir(options.dataDir, { recursive: true })
        .then(() => runGit(git, ["init", "--bare", "--quiet", probePath], { timeoutMs: readTimeoutMs }))
        .then(() => setRemote(probePath));
      await probeReady;
      await runGit(git, ["ls-remote", "--heads", "--exit-code", "origin", branch], {
        cwd: probePath,
        timeoutMs,
        allowExitCodes: [2],
      });
    } catch (error) {
      probeReady = undefined;
      throw error;
    }
  }

  // Run beside reads (never during a swap); refs/pull/* is outside the branch fetch's refspecs, so it never prunes it.
  const fetchPullHead = (number: number): Promise<void> => {
    if (!Number.isSafeInteger(number) || number <= 0) {
      return Promise.reject(
        new TypeError(`[@iac/server] invalid pull request number: expected a positive integer, received ${number}`),
      );
    }
    const ref = `refs/pull/${number}/head`;
    return read(async () => {
      await runGit(git, ["fetch", "--quiet", "--no-write-fetch-head", "origin", `+${ref}:${ref}`], {
        cwd: path,
        timeoutMs: fetchTimeoutMs,
      });
    });
  };

  return {
    path,
    fetch,
    fetchPullHead,
    mergeBase: (a, b) => read(() => reader.mergeBase(a, b)),
    resolveCommit,
    tagExists,
    listFiles: (commit) => read(() => reader.listFiles(commit)),
    readFile: (commit, file) =>
      read(async () => {
        if (file.includes("\n")) {
          // The batch protocol is line based: such a rare name is read by a process of its own.
          return reader.readFile(commit, file);
        }
        const object = await objects.get(`${assertCommit(commit)}:${assertPath(file)}`);
        return object?.type === "blob" ? new Uint8Array(object.content) : null;
      }),
    diffPaths: (before, after) => read(() => reader.diffPaths(before, after)),
    isAncestor: (ancestor, descendant) => read(() => reader.isAncestor(ancestor, descendant)),
    isCloned: () => exists(join(path, FETCHED_MARKER)),
    fetchFailure: () => failure,
    probeRemote,
    async close() {
      closed = true;
      await objects.stop();
    },
  };
}

/** What a read or a fetch of a closed mirror fails with: `git <command> failed: the mirror is closed`. */
function closedError(command: "read" | "fetch"): GitError {
  return new GitError(command, null, false, "the mirror is closed");
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
