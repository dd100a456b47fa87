import { isSyncable } from "@iac/sync";
import type { RunnerSettings } from "../../types.js";
import type { CheckResult, DoctorCheck } from "./check-result.js";
import type { RepositoryState } from "./load-repository.js";

const NAME = "iac.config.yaml";

/**
 * `iac.config.yaml` at the branch tip: valid, with `DEPLOY_ENV` among its environments (else every push would be
 * refused with `unknown_env`); findings of service discovery (a folder without compose file, ...) are warnings.
 */
export function checkCatalog(
  settings: RunnerSettings,
  repository: () => Promise<RepositoryState>,
  timeoutMs: number,
): DoctorCheck {
  return {
    name: NAME,
    needs: ["GIT_REPO_URL", "GIT_BRANCH", "DEPLOY_ENV"],
    // The clone has the common timeout; reading the catalog after it gets as long again.
    timeoutMs: timeoutMs * 2,
    async run() {
      const state = await repository();
      if (!state.ok) {
        return [{ name: NAME, status: "skip", message: "not checked: the repository could not be read" }];
      }
      const at = state.commit.slice(0, 12);
      if (state.loaded === undefined) {
        return [
          {
            name: NAME,
            status: "fail",
            message: `invalid at ${at}: ${state.configError ?? "unknown error"}`,
            fix: "fix the file and push; until then every deploy answers config_invalid",
          },
        ];
      }
      const { config, catalog } = state.loaded;
      const environments = Object.keys(config.environments);
      if (!environments.includes(settings.deployEnv)) {
        return [
          {
            name: NAME,
            status: "fail",
            message: `DEPLOY_ENV ${JSON.stringify(settings.deployEnv)} is not one of its environments (${environments.join(", ")})`,
            fix: "set DEPLOY_ENV to one of them, or add it under environments: in iac.config.yaml",
          },
        ];
      }
      const synced = catalog.services.filter(isSyncable).map((service) => service.name);
      const results: CheckResult[] = [
        {
          name: NAME,
          status: "ok",
          message: `valid at ${at}: ${synced.length} services synced to ${settings.deployEnv} (${synced.join(", ") || "none"})`,
        },
      ];
      for (const issue of catalog.issues) {
        results.push({ name: NAME, status: "warn", message: `${issue.path}: ${issue.message}` });
      }
      return results;
    },
  };
}
