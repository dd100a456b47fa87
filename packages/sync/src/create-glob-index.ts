import { globToRegExp } from "./glob-to-regexp.js";

/** A set of globs, each carrying a value, that finds the values whose glob matches a path. */
export interface GlobIndex<T> {
  match(path: string): T[];
}

const WILDCARD = /[*?{}\\]/;

/** The leading directories of a glob that contain no wildcard, e.g. `libs/py` for `libs/py/**\/*.py`. */
function literalDirectory(glob: string): string {
  const segments = glob.split("/");
  let end = 0;
  while (end < segments.length - 1 && !WILDCARD.test(segments[end] as string)) {
    end++;
  }
  return segments.slice(0, end).join("/");
}

/**
 * Indexes globs by their literal leading directory so that matching a path only tests the globs filed under one of
 * the path's own directories: the cost per path depends on its depth, not on how many globs there are.
 */
export function createGlobIndex<T>(entries: Iterable<{ glob: string; value: T }>): GlobIndex<T> {
  const byDirectory = new Map<string, { regexp: RegExp; value: T }[]>();
  for (const { glob, value } of entries) {
    const directory = literalDirectory(glob);
    const bucket = byDirectory.get(directory) ?? [];
    bucket.push({ regexp: globToRegExp(glob), value });
    byDirectory.set(directory, bucket);
  }
  const test = (bucket: { regexp: RegExp; value: T }[] | undefined, path: string, found: T[]): void => {
    for (const entry of bucket ?? []) {
      if (entry.regexp.test(path)) {
        found.push(entry.value);
      }
    }
  };
  return {
    match(path) {
      const found: T[] = [];
      if (byDirectory.size === 0) {
        return found;
      }
      test(byDirectory.get(""), path, found);
      for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
        test(byDirectory.get(path.slice(0, slash)), path, found);
      }
      return found;
    },
  };
}
