import type { SyncErrorCode } from "../../types.js";

/**
 * Whether a service that failed with each code may leave Dokploy running (or about to run) content that is not the
 * last good one, so a rollback redeploys that. A `Record` over every code, so a new code cannot be added without
 * deciding. Failures before anything was handed to Dokploy, or after a healthy deploy (recording its hash), never
 * roll back: what runs is either the old content or the new one working.
 */
const ROLLS_BACK: Readonly<Record<SyncErrorCode, boolean>> = {
  deploy_failed: true,
  deploy_timeout: true,
  probe_failed: true,
  // Still unknown after every retry: Dokploy holds the new compose without a hash and may have run it. Redeploying the
  // last good content costs at most one restart and leaves a known state.
  deploy_unconfirmed: true,
  dokploy_auth_failed: false,
  dokploy_unreachable: false,
  dokploy_error: false,
  vault_permission_denied: false,
  vault_secret_missing: false,
  vault_unreachable: false,
  git_fetch_failed: false,
  config_invalid: false,
  // The deploy marker could not be saved, so compose.deploy was never called.
  store_unavailable: false,
  cancelled: false,
};

/** True for failures after which the service is rolled back (see the table above). */
export function rollsBack(code: SyncErrorCode): boolean {
  return ROLLS_BACK[code];
}
