import type { GitMirror } from "../types.js";
import { SyncError } from "./sync-error.js";

/**
 * Makes sure the mirror holds `commit` before a sync reads it. A job may have been accepted by another runner (or
 * before a restart that lost the mirror), so this runner's mirror may not have fetched it yet.
 *
 * @throws {SyncError} `git_fetch_failed` (transient: the engine retries) when a fetch fails or still lacks the commit.
 */
export async function ensureCommit(git: GitMirror, commit: string): Promise<void> {
  if ((await git.resolveCommit(commit)) !== null) {
    return;
  }
  try {
    await git.fetch();
  } catch (error) {
    throw new SyncError("git_fetch_failed", "[@iac/server] could not fetch the repository; see the runner logs", {
      cause: error,
    });
  }
  if ((await git.resolveCommit(commit)) === null) {
    throw new SyncError("git_fetch_failed", `[@iac/server] commit ${commit} is not in the repository`);
  }
}
