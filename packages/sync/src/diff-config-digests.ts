import { compareCodePoints } from "./compare-code-points.js";
import type { ConfigDigestDiff, InputChange, PlainConfigDigests } from "./types.js";

function diffRecords(
  previous: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>>,
): InputChange[] {
  const names = [...new Set([...Object.keys(previous), ...Object.keys(current)])].sort(compareCodePoints);
  const changes: InputChange[] = [];
  for (const name of names) {
    const before = Object.hasOwn(previous, name) ? previous[name] : undefined;
    const after = Object.hasOwn(current, name) ? current[name] : undefined;
    if (before === undefined) {
      changes.push({ name, change: "added" });
    } else if (after === undefined) {
      changes.push({ name, change: "removed" });
    } else if (before !== after) {
      changes.push({ name, change: "modified" });
    }
  }
  return changes;
}

/**
 * What differs between the plain inputs of a service at two commits (digests from `configHashDigests`): whether the
 * compose changed, and each file path and env key that was added, removed or modified. Secrets are not compared:
 * only their current digest can be known, so a caller that sees a hash change with an empty diff knows that something
 * outside git (a Vault secret, the hash key, the runner's own settings) changed.
 *
 * @example
 * diffConfigDigests(atDeployedCommit, atNewCommit);
 * // { compose: false, files: [{ name: "platform/01.pg/init.sql", change: "modified" }], env: [] }
 */
export function diffConfigDigests(previous: PlainConfigDigests, current: PlainConfigDigests): ConfigDigestDiff {
  return {
    compose: previous.compose !== current.compose,
    files: diffRecords(previous.files, current.files),
    env: diffRecords(previous.env, current.env),
  };
}
