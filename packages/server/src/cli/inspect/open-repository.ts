import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createGitMirror } from "../../git/git-mirror.js";
import { createGitReader, type GitReader } from "../../git/git-reader.js";
import { GitError, redactUrlCredentials, runGit } from "../../git/run-git.js";
import { plainMessage } from "../../plain-message.js";
import { CliError } from "../cli-error.js";

/** A repository opened for reading, and how to let go of it. */
export interface OpenedRepository {
  git: GitReader;
  /** The directory or the URL (credentials masked), for messages. */
  label: string;
  /** Removes what opening made (the temporary mirror of a URL); nothing for a local clone. */
  close(): Promise<void>;
}

/** `https://`, `ssh://`, `git://`, `file://` or scp-like `user@host:path`: a remote, not a directory. */
const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|[\w.~-]+@[\w.-]+:)/i;
const GIT_TIMEOUT_MS = 30_000;
const FETCH_TIMEOUT_MS = 300_000;

/** Whether `--repo` names a remote repository rather than a directory. */
export function isRemoteRepository(repo: string): boolean {
  return REMOTE.test(repo);
}

async function openDirectory(repo: string): Promise<OpenedRepository> {
  const dir = resolve(repo);
  // A missing directory makes the spawn fail as if git itself were missing, so it is checked first.
  const isDirectory = await stat(dir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    throw new CliError(`expected --repo to be a directory, received ${JSON.stringify(repo)}`);
  }
  try {
    await runGit("git", ["rev-parse", "--git-dir"], { cwd: dir, timeoutMs: GIT_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof GitError) {
      throw new CliError(`${dir} is not a git repository`, { details: [plainMessage(error)] });
    }
    throw error;
  }
  return { git: createGitReader({ cwd: dir }), label: dir, close: async () => undefined };
}

/**
 * Clones `url` into a temporary bare mirror (the runner's own mirror code) with every branch and tag, and points
 * its `HEAD` at the remote's default branch so that `HEAD` means there what it means in a fresh clone.
 */
async function openRemote(url: string): Promise<OpenedRepository> {
  const label = redactUrlCredentials(url);
  const dataDir = await mkdtemp(join(tmpdir(), "iac-runner-repo-"));
  const close = () => rm(dataDir, { recursive: true, force: true });
  try {
    const mirror = createGitMirror({ url, dataDir, branch: "main", fetchTimeoutMs: FETCH_TIMEOUT_MS });
    await mirror.fetch();
    const { stdout } = await runGit("git", ["ls-remote", "--symref", "origin", "HEAD"], {
      cwd: mirror.path,
      timeoutMs: GIT_TIMEOUT_MS,
    });
    const head = /^ref: (refs\/heads\/\S+)\tHEAD$/m.exec(stdout.toString("utf8"))?.[1];
    if (head !== undefined) {
      await runGit("git", ["symbolic-ref", "HEAD", head], { cwd: mirror.path, timeoutMs: GIT_TIMEOUT_MS });
    }
    return { git: createGitReader({ cwd: mirror.path }), label, close };
  } catch (error) {
    await close();
    if (error instanceof GitError) {
      throw new CliError(`cannot fetch ${label}: ${redactUrlCredentials(plainMessage(error))}`);
    }
    throw error;
  }
}

/**
 * Opens `--repo` for reading from the git object store, like the runner reads its mirror: a directory of a clone
 * as it is, or (with `allowRemote`) a remote URL, fetched into a temporary bare mirror that `close()` removes.
 *
 * @throws {CliError} when the directory is missing or no git repository, or the remote cannot be fetched.
 */
export function openRepository(repo: string, options: { allowRemote: boolean }): Promise<OpenedRepository> {
  return options.allowRemote && isRemoteRepository(repo) ? openRemote(repo) : openDirectory(repo);
}
