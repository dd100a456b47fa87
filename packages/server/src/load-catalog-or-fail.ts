import { IacConfigError } from "@iac/sync";
import { type LoadedCatalog, loadCatalog } from "./catalog.js";
import { GitError } from "./git/run-git.js";
import { HttpError } from "./http/http-error.js";
import type { GitMirror } from "./types.js";

/**
 * {@link loadCatalog} for request handlers: an invalid `iac.config.yaml` becomes 422 `config_invalid` with the
 * config error's message (it names the key at fault and holds no secrets); a git failure while reading the commit
 * becomes 502 `git_fetch_failed`, like a failed fetch.
 */
export async function loadCatalogOrFail(git: GitMirror, commit: string): Promise<LoadedCatalog> {
  try {
    return await loadCatalog(git, commit);
  } catch (error) {
    if (error instanceof IacConfigError) {
      throw new HttpError(422, "config_invalid", error.message);
    }
    if (error instanceof GitError) {
      throw new HttpError(502, "git_fetch_failed", `the repository could not be read at ${commit}`);
    }
    throw error;
  }
}
