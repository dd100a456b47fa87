import type { RunnerSettings } from "../../types.js";
import type { DoctorCheck } from "./check-result.js";
import type { RepositoryState } from "./load-repository.js";

/** `git`: the remote answers with the runner's credentials, can be cloned, and has the branch. */
export function checkGit(settings: RunnerSettings, repository: () => Promise<RepositoryState>): DoctorCheck {
  return {
    name: "git",
    needs: ["GIT_REPO_URL", "GIT_BRANCH"],
    async run() {
      const state = await repository();
      if (!state.ok) {
        return [{ name: "git", status: "fail", message: state.message, fix: state.fix }];
      }
      return [
        {
          name: "git",
          status: "ok",
          message: `${state.url} branch ${settings.gitBranch} at ${state.commit.slice(0, 12)}`,
        },
      ];
    },
  };
}
