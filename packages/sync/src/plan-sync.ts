import { isLegacyHash } from "./legacy-config-hash.js";
import type { DeployedService, DesiredService, SyncPlanItem } from "./types.js";

/**
 * Decides, for each desired service, whether to create it, redeploy it or leave it alone, by comparing its config
 * hash with the hash stored in Dokploy. Items come in the order of `desired`.
 *
 * | situation                                             | action   | reason code    |
 * | ----------------------------------------------------- | -------- | -------------- |
 * | not deployed (absent, or `exists: false`)             | `create` | `missing`      |
 * | deployed without a stored hash                        | `update` | `no_hash`      |
 * | stored hash equals `hash`                             | `skip`   | `up_to_date`   |
 * | stored 12-hex legacy hash equals `legacyHash`         | `skip`   | `legacy_match` |
 * | any other stored hash                                 | `update` | `hash_changed` |
 *
 * Deployed services that are not desired get no item: the runner never deletes, and the caller already knows both
 * lists if it wants to report them.
 *
 * @throws {TypeError} when a service appears twice in `desired` or in `deployed`, since the plan would be ambiguous.
 * @example
 * planSync([{ service: "postgres", hash: "v2:…" }], [{ service: "postgres", hash: null, exists: true }]);
 * // [{ service: "postgres", action: "update", reason: { code: "no_hash", message: "…" } }]
 */
export function planSync(desired: readonly DesiredService[], deployed: readonly DeployedService[]): SyncPlanItem[] {
  uniqueServices(desired, "desired");
  const current = uniqueServices(deployed, "deployed");
  return desired.map((want): SyncPlanItem => {
    const { service } = want;
    const have = current.get(service);
    if (have === undefined || !have.exists) {
      return { service, action: "create", reason: { code: "missing", message: `${service} is not deployed yet` } };
    }
    if (have.hash === null || have.hash === "") {
      return {
        service,
        action: "update",
        reason: { code: "no_hash", message: `${service} has no stored config hash` },
      };
    }
    if (have.hash === want.hash) {
      return { service, action: "skip", reason: { code: "up_to_date", message: `${service} is up to date` } };
    }
    if (want.legacyHash !== undefined && isLegacyHash(have.hash) && have.hash === want.legacyHash) {
      return {
        service,
        action: "skip",
        reason: { code: "legacy_match", message: `${service} matches its legacy config hash ${have.hash}` },
      };
    }
    return {
      service,
      action: "update",
      reason: { code: "hash_changed", message: `${service} config hash changed from ${have.hash} to ${want.hash}` },
    };
  });
}

function uniqueServices<T extends { service: string }>(list: readonly T[], name: string): Map<string, T> {
  const byService = new Map<string, T>();
  for (const item of list) {
    if (byService.has(item.service)) {
      throw new TypeError(
        `[@iac/sync] invalid ${name} services: expected each service once, received "${item.service}" twice`,
      );
    }
    byService.set(item.service, item);
  }
  return byService;
}
