import { describeValue } from "./describe-value.js";
import { formatVersionTag, parseVersionTag } from "./semver.js";

/**
 * The production tag for a staging tag: `vX.Y.Z` is promoted to `vX.(Y+1).0`.
 *
 * @throws {TypeError} when `stagingTag` is not a release tag `vMAJOR.MINOR.PATCH`.
 * @throws {Error} when `stagingTag` is not in `tags`, or the production tag is in `tags` already (that version was
 *   promoted before).
 * @example
 * promoteTag("v1.2.4", ["v1.2.3", "v1.2.4"]); // "v1.3.0"
 */
export function promoteTag(stagingTag: string, tags: readonly string[]): string {
  const version = parseVersionTag(stagingTag);
  if (version === null) {
    throw new TypeError(
      `[@iac/sync] invalid staging tag: expected vMAJOR.MINOR.PATCH such as "v1.2.4", received ${describeValue(stagingTag)}`,
    );
  }
  if (!tags.includes(stagingTag)) {
    throw new Error(
      `[@iac/sync] cannot promote ${stagingTag}: expected an existing tag, received one not in the repository`,
    );
  }
  const target = formatVersionTag({ major: version.major, minor: version.minor + 1, patch: 0 });
  if (tags.includes(target)) {
    throw new Error(`[@iac/sync] cannot promote ${stagingTag}: expected ${target} to be free, but it exists already`);
  }
  return target;
}
