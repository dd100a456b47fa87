import type { JobReporter, Logger, RunnerSettings } from "../../types.js";
import { createGithubReporter } from "./create-github-reporter.js";

/** The GitHub reporter the settings ask for (`GITHUB_TOKEN` set), else undefined. */
export function githubFromSettings(
  settings: RunnerSettings,
  logger: Logger,
  fetch?: typeof globalThis.fetch | undefined,
): JobReporter | undefined {
  const { github, publicUrl } = settings;
  return github === undefined
    ? undefined
    : createGithubReporter({ ...github, publicUrl, fetch, logger: logger.child({ reporter: "github" }) });
}
