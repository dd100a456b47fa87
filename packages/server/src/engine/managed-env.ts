import { CONFIG_HASH_KEY, mergeEnv, parseDotenv } from "@iac/sync";

/** Env key listing the keys the runner wrote, so that a key it stops managing is removed on the next sync. */
export const MANAGED_KEYS_KEY = "IAC_MANAGED_KEYS";

/**
 * Merges the runner's values into a compose's env text (Dokploy replaces the whole text on every write). Keys the
 * runner does not manage survive untouched. Managed keys are this sync's keys, `IAC_CONFIG_HASH`,
 * `IAC_MANAGED_KEYS` and every key listed in the previous `IAC_MANAGED_KEYS`; a managed key absent from `values` is
 * removed. With `hash` null, any stored hash is removed, so a deploy that fails before the hash is recorded leaves
 * the service "unknown" and the next sync deploys it again.
 */
export function mergeManagedEnv(
  remote: string | null,
  values: Readonly<Record<string, string>>,
  hash: string | null,
): string {
  const text = remote ?? "";
  const previous = parseDotenv(text)
    .findLast((entry) => entry.key === MANAGED_KEYS_KEY)
    ?.value.split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
  const keys = Object.keys(values).sort();
  const managed: Record<string, string> = { ...values, [MANAGED_KEYS_KEY]: keys.join(",") };
  if (hash !== null) {
    managed[CONFIG_HASH_KEY] = hash;
  }
  return mergeEnv(text, managed, {
    managedKeys: [...keys, ...(previous ?? []), CONFIG_HASH_KEY, MANAGED_KEYS_KEY],
  });
}
