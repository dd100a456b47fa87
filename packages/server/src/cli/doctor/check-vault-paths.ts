import { isSyncable } from "@iac/sync";
import { SyncError } from "../../engine/sync-error.js";
import { parseVaultPath } from "../../engine/vault-path.js";
import type { RunnerSettings } from "../../types.js";
import { describeFetchFailure } from "../describe-fetch-failure.js";
import type { CheckResult, DoctorCheck } from "./check-result.js";
import { VAULT_VARIABLES } from "./check-vault-token.js";
import type { RepositoryState } from "./load-repository.js";
import type { VaultAccess } from "./open-vault.js";

const NAME = "Vault paths";

/** Where the secrets of the services come from, once the repository and Vault are known. */
export interface VaultPathsSources {
  repository: () => Promise<RepositoryState>;
  vault: () => Promise<VaultAccess>;
  timeoutMs: number;
}

/**
 * `Vault paths`: every Vault path that a service the runner syncs declares at the branch tip, resolved for
 * `DEPLOY_ENV` as the engine resolves it, can be read with the runner's token. Values are read and dropped, never
 * shown; a missing secret or a denied read would fail that service's sync.
 */
export function checkVaultPaths(settings: RunnerSettings, sources: VaultPathsSources): DoctorCheck {
  const line = (status: CheckResult["status"], message: string, fix?: string): CheckResult => ({
    name: NAME,
    status,
    message,
    fix,
  });
  return {
    name: NAME,
    needs: [...VAULT_VARIABLES, "GIT_REPO_URL", "GIT_BRANCH", "DEPLOY_ENV"],
    // It waits for the clone first, then reads every path.
    timeoutMs: sources.timeoutMs * 2,
    async run(): Promise<CheckResult[]> {
      const state = await sources.repository();
      if (!state.ok || state.loaded === undefined) {
        return [line("skip", "not checked: the services at the branch tip are unknown (see above)")];
      }
      const env = settings.deployEnv;
      const declared = state.loaded.catalog.services
        .filter(isSyncable)
        .flatMap((service) => service.vault.map((template) => ({ service: service.name, template })));
      if (declared.length === 0) {
        return [line("ok", "no service declares Vault paths")];
      }
      const services = [...new Set(declared.map((entry) => entry.service))];
      if (settings.vault === undefined) {
        return [
          line(
            "fail",
            `${services.join(", ")} declare Vault paths but VAULT_ADDR is not set; their syncs would fail`,
            "set VAULT_ADDR and VAULT_TOKEN (or VAULT_ROLE_ID + VAULT_SECRET_ID)",
          ),
        ];
      }
      const access = await sources.vault();
      if (!access.ok) {
        return [line("skip", "not checked: Vault did not accept the runner's credentials (see above)")];
      }
      const problems: CheckResult[] = [];
      for (const { service, template } of declared) {
        let where = template;
        try {
          const location = parseVaultPath(template, { env, service });
          where = `${location.mount}/data/${location.path}`;
          const result = await access.client.readKv(location);
          const of = `${where} (${service})`;
          if (result.kind === "forbidden") {
            problems.push(
              line(
                "fail",
                `${of}: permission denied (HTTP 403)`,
                `grant the runner's policy: path "${where}" { capabilities = ["read"] }`,
              ),
            );
          } else if (result.kind === "missing") {
            problems.push(
              line(
                "fail",
                `${of}: does not exist`,
                `write it: vault kv put -mount=${location.mount} ${location.path} KEY=value`,
              ),
            );
          } else if (result.kind === "deleted") {
            problems.push(
              line("fail", `${of}: its latest version is deleted or destroyed`, "undelete it or write a new version"),
            );
          } else if (result.kind === "error") {
            problems.push(
              line("fail", `${of}: Vault answered HTTP ${result.status}`, "check Vault's health (vault status)"),
            );
          }
        } catch (error) {
          if (error instanceof SyncError) {
            problems.push(
              line(
                "fail",
                `${service}: ${error.message.replace(/^\[@iac\/server\] /, "")}`,
                "fix the path in iac.config.yaml",
              ),
            );
          } else {
            problems.push(
              line("fail", `${where} (${service}): no answer: ${describeFetchFailure(error, sources.timeoutMs)}`),
            );
          }
        }
      }
      if (problems.length > 0) {
        return problems;
      }
      return [line("ok", `${declared.length} paths of ${services.length} services readable for ${env}`)];
    },
  };
}
