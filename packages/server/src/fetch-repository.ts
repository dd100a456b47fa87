import { HttpError } from "./http/http-error.js";
import type { GitMirror, Logger } from "./types.js";

/**
 * Fetches the mirror for a request.
 *
 * @throws {HttpError} 502 `git_fetch_failed`; the git error itself is logged, not shown.
 */
export async function fetchRepository(git: GitMirror, logger: Logger): Promise<void> {
  try {
    await git.fetch();
  } catch (error) {
    logger.error({ err: error }, "git fetch failed");
    throw new HttpError(502, "git_fetch_failed", "could not fetch the repository; see the runner logs");
  }
}
