import { readerContext } from "../engine/reader-context.js";
import type { GitMirror, LocalGitMirror, Logger, PullPlanner, RunnerOptions } from "../types.js";
import { createPlanComments } from "./create-plan-comments.js";
import { createPullPlanner } from "./create-pull-planner.js";
import { planPullRequest } from "./plan-pull-request.js";

/**
 * The planner of pull requests when `GITHUB_TOKEN` is set and the runner reads its own git mirror (a fork's head is
 * fetched into it), else undefined. Like drift detection it reads Vault and Dokploy with clients of its own.
 */
export function pullPlannerFromSettings(
  options: RunnerOptions,
  git: GitMirror,
  parent: Logger,
): PullPlanner | undefined {
  const { settings } = options;
  if (settings.github === undefined || !("fetchPullHead" in git)) {
    return undefined;
  }
  const logger = parent.child({ component: "review" });
  const source = readerContext(options, git, logger);
  const deps = {
    git: git as LocalGitMirror,
    source,
    dokploy: source.dokploy,
    env: settings.deployEnv,
    branch: settings.gitBranch,
    logger,
  };
  return createPullPlanner({
    plan: (pull) => planPullRequest(deps, pull),
    comments: createPlanComments({ ...settings.github, fetch: options.fetch, logger }),
    logger,
  });
}
