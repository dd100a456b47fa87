import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { compareCodePoints } from "./compare-code-points.js";

const LEGACY_HASH = /^[0-9a-f]{12}$/;

/**
 * The original runner's config hash, kept so that services it deployed are recognised without a redeploy:
 * `sha256(compose + "\n---ENV---\n" + lines)` where `lines` are `KEY=value` sorted by key in code-point order (as
 * Python's `sorted()`), empty and undefined values dropped, joined by `\n`; the first 12 lowercase hex characters.
 *
 * It covers neither the files a compose uses nor secrets, and its plain concatenation is ambiguous: use
 * {@link configHash} for new deployments.
 *
 * @example
 * legacyConfigHash("services: {}\n", { ENV: "staging", DATA_PATH: "" }); // 12 hex characters
 */
export function legacyConfigHash(compose: string, env: Readonly<Record<string, string | undefined>>): string {
  const lines = Object.entries(env)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "")
    .sort(([a], [b]) => compareCodePoints(a, b))
    .map(([key, value]) => `${key}=${value}`)
    .join("\n");
  return bytesToHex(sha256(utf8ToBytes(`${compose}\n---ENV---\n${lines}`))).slice(0, 12);
}

/** True for a hash in the format of {@link legacyConfigHash}: exactly 12 lowercase hex characters. */
export function isLegacyHash(value: unknown): value is string {
  return typeof value === "string" && LEGACY_HASH.test(value);
}
