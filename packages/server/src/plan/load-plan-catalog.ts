import { IacConfigError, PlanError } from "@iac/sync";
import { type LoadedCatalog, loadCatalog } from "../catalog.js";
import { GitError } from "../git/run-git.js";
import type { GitMirror } from "../types.js";

/**
 * {@link loadCatalog} while resolving a request: an invalid `iac.config.yaml` becomes `config_invalid` with the
 * config error's message (it names the key at fault and holds no secrets); a git failure while reading the commit
 * becomes `git_fetch_failed`, like a failed fetch.
 *
 * @throws {PlanError}
 */
export async function loadPlanCatalog(git: GitMirror, commit: string): Promise<LoadedCatalog> {
  try {
    return await loadCatalog(git, commit);
  } catch (error) {
    if (error instanceof IacConfigError) {
      throw new PlanError("config_invalid", error.message);
    }
    if (error instanceof GitError) {
      throw new PlanError("git_fetch_failed", `the repository could not be read at ${commit}`);
    }
    throw error;
  }
}
