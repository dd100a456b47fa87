import { PlanError } from "@iac/sync";
import type { GitMirror, Logger } from "../types.js";

/**
 * Fetches the mirror before a request is resolved.
 *
 * @throws {PlanError} `git_fetch_failed`; the git error itself is logged, not shown (it may name hosts or paths).
 */
export async function fetchRepository(git: GitMirror, logger: Logger): Promise<void> {
  try {
    await git.fetch();
  } catch (error) {
    logger.error({ err: error }, "git fetch failed");
    throw new PlanError("git_fetch_failed", "could not fetch the repository; see the runner logs");
  }
}
