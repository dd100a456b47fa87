import type { GitMirror } from "../types.js";
import { isCommitSha, refNameProblem } from "./ref-name.js";
import { runGit } from "./run-git.js";

/** Reads of one git repository (bare mirror or working clone), always at a named commit. */
export interface GitReader extends Omit<GitMirror, "fetch"> {
  /**
   * Resolves any git revision an operator may type (`HEAD`, `HEAD~2`, `main`, `v1.2.3`, an abbreviated SHA) to a
   * full commit SHA; null when it names no commit (or is ambiguous). For trusted command-line input only: requests
   * from the network go through `resolveCommit`, which accepts ref names and full SHAs only.
   */
  resolveRevision(revision: string): Promise<string | null>;
  /** The best common ancestor of two commits; null when they share none (or either is unknown). */
  mergeBase(a: string, b: string): Promise<string | null>;
}

/** Options of {@link createGitReader}. */
export interface GitReaderOptions {
  /** The repository: a bare repository or any directory of a working clone. */
  cwd: string;
  /** The git binary; defaults to `git` on PATH. */
  git?: string | undefined;
  /** Upper bound of one read (default 30 s). */
  readTimeoutMs?: number | undefined;
}

/** `commit` in lower case when it is a full commit SHA; a `TypeError` otherwise. */
export function assertCommit(commit: string): string {
  if (!isCommitSha(commit)) {
    throw new TypeError(`[@iac/server] invalid commit: expected 40 hex characters, received ${JSON.stringify(commit)}`);
  }
  return commit.toLowerCase();
}

/** `ref` itself when it is a safe ref name; a `TypeError` saying why otherwise. */
export function assertRef(ref: string): string {
  const problem = refNameProblem(ref);
  if (problem !== undefined) {
    throw new TypeError(`[@iac/server] invalid ref ${JSON.stringify(ref)}: it ${problem}`);
  }
  return ref;
}

/** `path` itself when it is a plain relative repository path (no `.`, `..` or empty parts); a `TypeError` otherwise. */
export function assertPath(path: string): string {
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

/**
 * Reads a git repository from its object store with the real `git` binary (argument arrays, never a shell; every
 * ref and path validated before it reaches git): files and trees at a commit, never a working tree, so what is read
 * is exactly the commit's content. The runner's mirror reads through it, and so do the CLI commands that read a
 * local clone.
 *
 * @example
 * const git = createGitReader({ cwd: "/path/to/infra" });
 * const commit = await git.resolveRevision("HEAD");
 * const files = commit === null ? [] : await git.listFiles(commit);
 */
export function createGitReader(options: GitReaderOptions): GitReader {
  const git = options.git ?? "git";
  const readTimeoutMs = options.readTimeoutMs ?? 30_000;
  const read = (args: readonly string[], allowExitCodes?: readonly number[]) =>
    runGit(git, args, { cwd: options.cwd, timeoutMs: readTimeoutMs, allowExitCodes });

  async function verify(revision: string): Promise<string | null> {
    const { stdout, code } = await read(
      ["rev-parse", "--verify", "--quiet", "--end-of-options", `${revision}^{commit}`],
      [1, 128],
    );
    return code === 0 ? stdout.toString("utf8").trim() : null;
  }

  async function resolveCommit(ref: string): Promise<string | null> {
    const candidates = isCommitSha(ref)
      ? [ref.toLowerCase()]
      : assertRef(ref).startsWith("refs/")
        ? [ref]
        : [`refs/tags/${ref}`, `refs/heads/${ref}`];
    for (const candidate of candidates) {
      const commit = await verify(candidate);
      if (commit !== null) {
        return commit;
      }
    }
    return null;
  }

  async function tagExists(tag: string): Promise<boolean> {
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

  async function mergeBase(a: string, b: string): Promise<string | null> {
    // Exit 1: no common ancestor; 128: an object is missing.
    const { stdout, code } = await read(["merge-base", "--end-of-options", assertCommit(a), assertCommit(b)], [1, 128]);
    return code === 0 ? stdout.toString("utf8").trim() : null;
  }

  return {
    resolveCommit,
    resolveRevision: verify,
    mergeBase,
    tagExists,
    listFiles,
    readFile,
    diffPaths,
    isAncestor,
  };
}
