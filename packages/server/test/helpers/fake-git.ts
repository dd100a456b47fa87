import type { GitMirror } from "../../src/types.js";

/** A call made to a {@link createFakeGit} mirror: the method name, then its arguments. */
export type GitCall = [method: keyof GitMirror, ...args: unknown[]];

/** A scripted git mirror and the calls it received, in order. */
export interface FakeGit {
  git: GitMirror;
  calls: GitCall[];
}

const METHODS: readonly (keyof GitMirror)[] = [
  "fetch",
  "resolveCommit",
  "tagExists",
  "listFiles",
  "readFile",
  "diffPaths",
  "isAncestor",
];

/**
 * A {@link GitMirror} that runs `methods` and records every call; a method the test did not script rejects, so an
 * unexpected git access fails the test instead of passing unnoticed.
 */
export function createFakeGit(methods: Partial<GitMirror>): FakeGit {
  const calls: GitCall[] = [];
  const git = Object.fromEntries(
    METHODS.map((name) => [
      name,
      async (...args: unknown[]) => {
        calls.push([name, ...args]);
        const method = methods[name] as ((...given: unknown[]) => Promise<unknown>) | undefined;
        if (method === undefined) {
          throw new Error(`unexpected git.${name}(${args.map((arg) => JSON.stringify(arg)).join(", ")})`);
        }
        return method(...args);
      },
    ]),
  ) as unknown as GitMirror;
  return { git, calls };
}
