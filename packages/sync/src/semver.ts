import type { VersionTag } from "./types.js";

// Release tags are plain `vMAJOR.MINOR.PATCH`: no pre-release, no build metadata, no leading zeros.
const VERSION_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * Reads a release tag `vMAJOR.MINOR.PATCH` (e.g. `v1.2.4`), or returns null for anything else: pre-releases
 * (`v1.2.3-rc.1`), build metadata (`v1.2.3+build`), leading zeros (`v01.2.3`), a missing `v`, or numbers beyond
 * `Number.MAX_SAFE_INTEGER`. Use it to validate a tag before passing it on.
 *
 * @example
 * parseVersionTag("v1.10.0"); // { major: 1, minor: 10, patch: 0 }
 * parseVersionTag("v1.2.3-rc.1"); // null
 */
export function parseVersionTag(tag: string): VersionTag | null {
  const match = VERSION_TAG.exec(tag);
  if (match === null) {
    return null;
  }
  const version = { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
  return Object.values(version).every(Number.isSafeInteger) ? version : null;
}

/** Writes a version as its tag, `v1.2.4`. */
export function formatVersionTag({ major, minor, patch }: VersionTag): string {
  return `v${major}.${minor}.${patch}`;
}

/** Orders versions by major, then minor, then patch. */
export function compareVersions(a: VersionTag, b: VersionTag): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}
