import { parseDotenv } from "./parse-dotenv.js";

/** The env key under which the config hash of a deployed service is stored in its Dokploy env text. */
export const CONFIG_HASH_KEY = "IAC_CONFIG_HASH";

/**
 * The config hash stored in a service's env text (the value of its last `IAC_CONFIG_HASH` assignment, the one in
 * effect), or null when there is none or it is empty. The value is returned as written: check it with
 * `isConfigHash` / `isLegacyHash` if needed.
 *
 * @example
 * readStoredHash("ENV=staging\nIAC_CONFIG_HASH=0123456789ab"); // "0123456789ab"
 */
export function readStoredHash(envText: string | null | undefined): string | null {
  if (envText === null || envText === undefined) {
    return null;
  }
  const stored = parseDotenv(envText).findLast((entry) => entry.key === CONFIG_HASH_KEY)?.value;
  return stored === undefined || stored === "" ? null : stored;
}
