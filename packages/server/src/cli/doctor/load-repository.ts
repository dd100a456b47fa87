import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { IacConfigError } from "@iac/sync";
import { type LoadedCatalog, loadCatalog } from "../../catalog.js";
import { createGitMirror } from "../../git/git-mirror.js";
import { GitError, redactUrlCredentials } from "../../git/run-git.js";
import type { RunnerSettings } from "../../types.js";

/** What doctor learnt from the repository: the branch tip and its catalog, or why it could not be read. */
export type RepositoryState =
  | { ok: true; url: string; commit: string; loaded: LoadedCatalog | undefined; configError: string | undefined }
  | { ok: false; url: string; message: string; fix: string };

const FIX_ACCESS =
  "check GIT_REPO_URL and the runner's git credentials (a deploy key for ssh:// or git@, a token for https://)";

const gitMessage = (error: unknown): string =>
  error instanceof Error ? error.message.replace(/^\[@iac\/server\] /, "") : String(error);

/**
 * Reads the repository the way the runner does, without touching the runner's own mirror (a running runner may be
 * fetching it): `git ls-remote` of the branch, then a clone into a temporary bare mirror, the branch tip, and the
 * catalog at that tip. The temporary mirror is removed before this resolves.
 */
export async function loadRepository(
  settings: Pick<RunnerSettings, "gitRepoUrl" | "gitBranch">,
  timeoutMs: number,
): Promise<RepositoryState> {
  const url = redactUrlCredentials(settings.gitRepoUrl);
  const dataDir = await mkdtemp(join(tmpdir(), "iac-doctor-"));
  try {
    const mirror = createGitMirror({
      url: settings.gitRepoUrl,
      dataDir,
      branch: settings.gitBranch,
      fetchTimeoutMs: timeoutMs,
      readTimeoutMs: timeoutMs,
    });
    try {
      await mirror.probeRemote(timeoutMs);
    } catch (error) {
      if (error instanceof GitError) {
        return { ok: false, url, message: `cannot read ${url}: ${gitMessage(error)}`, fix: FIX_ACCESS };
      }
      throw error;
    }
    try {
      await mirror.fetch();
    } catch (error) {
      if (error instanceof GitError) {
        return {
          ok: false,
          url,
          message: `${url} answers but cannot be cloned: ${gitMessage(error)}`,
          fix: FIX_ACCESS,
        };
      }
      throw error;
    }
    const commit = await mirror.resolveCommit(`refs/heads/${settings.gitBranch}`);
    if (commit === null) {
      return {
        ok: false,
        url,
        message: `branch ${JSON.stringify(settings.gitBranch)} does not exist in ${url}`,
        fix: "set GIT_BRANCH to the branch whose pushes deploy (default main)",
      };
    }
    try {
      return { ok: true, url, commit, loaded: await loadCatalog(mirror, commit), configError: undefined };
    } catch (error) {
      if (error instanceof IacConfigError) {
        return { ok: true, url, commit, loaded: undefined, configError: error.message };
      }
      throw error;
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
