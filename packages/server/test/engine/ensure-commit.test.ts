import { describe, expect, it } from "vitest";
import { ensureCommit } from "../../src/engine/ensure-commit.js";
import { SyncError } from "../../src/engine/sync-error.js";
import { createFakeGit } from "../helpers/fake-git.js";

const COMMIT = "a".repeat(40);

async function syncErrorOf(promise: Promise<unknown>): Promise<SyncError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SyncError);
  return error as SyncError;
}

describe("ensureCommit", () => {
  it("does not fetch when the mirror already holds the commit", async () => {
    const { git, calls } = createFakeGit({ resolveCommit: async () => COMMIT });
    await ensureCommit(git, COMMIT);
    expect(calls).toEqual([["resolveCommit", COMMIT]]);
  });

  it("fetches a commit the mirror lacks and looks it up again", async () => {
    let fetched = false;
    const { git, calls } = createFakeGit({
      resolveCommit: async () => (fetched ? COMMIT : null),
      fetch: async () => {
        fetched = true;
      },
    });
    await ensureCommit(git, COMMIT);
    expect(calls).toEqual([["resolveCommit", COMMIT], ["fetch"], ["resolveCommit", COMMIT]]);
  });

  it("fails with git_fetch_failed, the git error as its cause but not in its message, when the fetch fails", async () => {
    const failure = new Error("fatal: could not read from https://token@example.com");
    const { git, calls } = createFakeGit({
      resolveCommit: async () => null,
      fetch: () => Promise.reject(failure),
    });
    const error = await syncErrorOf(ensureCommit(git, COMMIT));
    expect(error.code).toBe("git_fetch_failed");
    expect(error.message).toBe("[@iac/server] could not fetch the repository; see the runner logs");
    expect(error.cause).toBe(failure);
    expect(calls).toEqual([["resolveCommit", COMMIT], ["fetch"]]);
  });

  it("fails with git_fetch_failed naming the commit when the repository does not have it", async () => {
    const { git, calls } = createFakeGit({ resolveCommit: async () => null, fetch: async () => undefined });
    const error = await syncErrorOf(ensureCommit(git, COMMIT));
    expect(error.code).toBe("git_fetch_failed");
    expect(error.message).toBe(`[@iac/server] commit ${COMMIT} is not in the repository`);
    expect(calls).toEqual([["resolveCommit", COMMIT], ["fetch"], ["resolveCommit", COMMIT]]);
  });
});
