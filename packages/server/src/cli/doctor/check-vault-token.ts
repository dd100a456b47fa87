import type { RunnerSettings } from "../../types.js";
import type { CheckResult, DoctorCheck } from "./check-result.js";
import type { VaultAccess } from "./open-vault.js";

const NAME = "Vault";
const DAY_SECONDS = 86_400;
/** Variables that configure Vault; a problem with any of them skips the Vault checks. */
export const VAULT_VARIABLES: readonly string[] = [
  "VAULT_ADDR",
  "VAULT_TOKEN",
  "VAULT_APP_TOKEN",
  "VAULT_ROLE_ID",
  "VAULT_SECRET_ID",
];

function duration(seconds: number): string {
  if (seconds >= DAY_SECONDS) {
    return `${Math.floor(seconds / DAY_SECONDS)} d`;
  }
  if (seconds >= 3_600) {
    return `${Math.floor(seconds / 3_600)} h ${Math.floor((seconds % 3_600) / 60)} min`;
  }
  return `${Math.max(1, Math.floor(seconds / 60))} min`;
}

/**
 * `Vault`: the runner's credentials work, and its token will not lapse unnoticed: a token that expires within a day
 * and cannot be renewed is a warning (the runner keeps using it until Vault refuses it). With AppRole the runner logs
 * in again by itself, so the TTL does not matter.
 */
export function checkVaultToken(settings: RunnerSettings, vault: () => Promise<VaultAccess>): DoctorCheck {
  return {
    name: NAME,
    needs: VAULT_VARIABLES,
    async run(): Promise<CheckResult[]> {
      if (settings.vault === undefined) {
        return [{ name: NAME, status: "skip", message: "not configured (VAULT_ADDR is not set)" }];
      }
      const access = await vault();
      if (!access.ok) {
        return [{ name: NAME, status: "fail", message: access.message, fix: access.fix }];
      }
      const { ttl, renewable, policies } = access.token;
      const held = `policies ${policies.join(", ") || "none"}`;
      if (access.appRole) {
        return [
          { name: NAME, status: "ok", message: `AppRole login works (${held}; the runner logs in again as needed)` },
        ];
      }
      if (ttl === 0) {
        return [{ name: NAME, status: "ok", message: `token never expires (${held})` }];
      }
      if (ttl < DAY_SECONDS && !renewable) {
        return [
          {
            name: NAME,
            status: "warn",
            message: `token expires in ${duration(ttl)} and is not renewable (${held})`,
            fix: "issue a renewable token or one with a longer TTL, or use AppRole (VAULT_ROLE_ID + VAULT_SECRET_ID)",
          },
        ];
      }
      const how = renewable ? "renewable, the runner renews it" : "not renewable";
      return [{ name: NAME, status: "ok", message: `token valid for ${duration(ttl)}, ${how} (${held})` }];
    },
  };
}
