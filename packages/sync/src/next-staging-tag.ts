import { compareVersions, formatVersionTag, parseVersionTag } from "./semver.js";
import type { VersionTag } from "./types.js";

/**
 * The tag of the next staging release: the highest `vX.Y.Z` in `tags` with the patch number plus one, or `v1.0.0`
 * when there is none. Versions compare numerically (`v1.10.0` is above `v1.9.0`); tags that `parseVersionTag`
 * rejects (pre-releases, build metadata, leading zeros, other names) are ignored.
 *
 * @example
 * nextStagingTag(["v1.2.3", "v1.10.0", "v2.0.0-rc.1", "latest"]); // "v1.10.1"
 */
export function nextStagingTag(tags: readonly string[]): string {
  let highest: VersionTag | null = null;
  for (const tag of tags) {
    const version = parseVersionTag(tag);
    if (version !== null && (highest === null || compareVersions(version, highest) > 0)) {
      highest = version;
    }
  }
  return highest === null ? "v1.0.0" : formatVersionTag({ ...highest, patch: highest.patch + 1 });
}
