import { PlanError } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { resolveClaims, resolveRelease } from "../../src/plan/resolve-release.js";
import { createFakeGit } from "../helpers/fake-git.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";

const COMMIT = "c".repeat(40);
const SHA = "0123456789abcdef0123456789abcdef01234567";

async function planErrorOf(promise: Promise<unknown>): Promise<PlanError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PlanError);
  return error as PlanError;
}

describe("resolveRelease", () => {
  describe("a tag", () => {
    it("fetches, then resolves refs/tags/<tag> to its commit", async () => {
      const { git, calls } = createFakeGit({
        fetch: async () => undefined,
        tagExists: async () => true,
        resolveCommit: async () => COMMIT,
      });
      expect(await resolveRelease(git, { tag: "v1.2.3" }, createLineLogger([]))).toBe(COMMIT);
      expect(calls).toEqual([["fetch"], ["tagExists", "v1.2.3"], ["resolveCommit", "refs/tags/v1.2.3"]]);
    });

    it.each([
      ["an option-like name", "--upload-pack=x", 'invalid tag "--upload-pack=x": it starts with "-"'],
      ["an empty name", "", 'invalid tag "": it is empty'],
      ["a full ref", "refs/tags/v1", 'invalid tag "refs/tags/v1": it must be a tag name, not a full ref'],
    ])("refuses %s with invalid_tag before touching git", async (_name, tag, message) => {
      const { git, calls } = createFakeGit({});
      const error = await planErrorOf(resolveRelease(git, { tag }, createLineLogger([])));
      expect(error.code).toBe("invalid_tag");
      expect(error.message).toBe(message);
      expect(calls).toEqual([]);
    });

    it("answers tag_not_found for a tag the fetched repository does not have, without resolving it", async () => {
      const { git, calls } = createFakeGit({ fetch: async () => undefined, tagExists: async () => false });
      const error = await planErrorOf(resolveRelease(git, { tag: "v9.9.9" }, createLineLogger([])));
      expect(error.code).toBe("tag_not_found");
      expect(error.message).toBe('tag "v9.9.9" does not exist in the repository');
      expect(calls).toEqual([["fetch"], ["tagExists", "v9.9.9"]]);
    });

    it("answers tag_not_found when the tag exists but does not resolve to a commit", async () => {
      const { git } = createFakeGit({
        fetch: async () => undefined,
        tagExists: async () => true,
        resolveCommit: async () => null,
      });
      const error = await planErrorOf(resolveRelease(git, { tag: "v1" }, createLineLogger([])));
      expect(error.code).toBe("tag_not_found");
    });

    it("answers git_fetch_failed, and looks nothing up, when the fetch fails", async () => {
      const lines: LoggedLine[] = [];
      const { git, calls } = createFakeGit({ fetch: () => Promise.reject(new Error("remote hung up")) });
      const error = await planErrorOf(resolveRelease(git, { tag: "v1" }, createLineLogger(lines)));
      expect(error.code).toBe("git_fetch_failed");
      expect(calls).toEqual([["fetch"]]);
      expect(lines).toEqual([expect.objectContaining({ level: "error", msg: "git fetch failed" })]);
    });
  });

  describe("a ref", () => {
    it("answers a commit the mirror holds without fetching, as the mirror spells it", async () => {
      const { git, calls } = createFakeGit({ resolveCommit: async () => SHA });
      expect(await resolveRelease(git, { ref: SHA.toUpperCase() }, createLineLogger([]))).toBe(SHA);
      expect(calls).toEqual([["resolveCommit", SHA.toUpperCase()]]);
    });

    it("fetches a commit the mirror lacks and answers it once fetched", async () => {
      let fetched = false;
      const { git, calls } = createFakeGit({
        resolveCommit: async () => (fetched ? SHA : null),
        fetch: async () => {
          fetched = true;
        },
      });
      expect(await resolveRelease(git, { ref: SHA }, createLineLogger([]))).toBe(SHA);
      expect(calls).toEqual([["resolveCommit", SHA], ["fetch"], ["resolveCommit", SHA]]);
    });

    it("answers commit_not_found for a commit the fetched repository does not have", async () => {
      const { git } = createFakeGit({ resolveCommit: async () => null, fetch: async () => undefined });
      const error = await planErrorOf(resolveRelease(git, { ref: SHA }, createLineLogger([])));
      expect(error.code).toBe("commit_not_found");
      expect(error.message).toBe(`commit ${SHA} does not exist in the repository`);
    });

    it.each([["main"], ["abc1234"], [`${SHA}0`]])("refuses %j with invalid_ref before touching git", async (ref) => {
      const { git, calls } = createFakeGit({});
      const error = await planErrorOf(resolveRelease(git, { ref }, createLineLogger([])));
      expect(error.code).toBe("invalid_ref");
      expect(error.message).toBe(`invalid ref ${JSON.stringify(ref)}: expected a 40-hex commit SHA`);
      expect(calls).toEqual([]);
    });
  });
});

describe("resolveClaims", () => {
  it("takes a commit as it is, without touching git, and resolves a staging tag like a target tag", async () => {
    const { git, calls } = createFakeGit({
      fetch: async () => undefined,
      tagExists: async () => true,
      resolveCommit: async () => COMMIT,
    });
    expect(await resolveClaims(git, { commit: SHA, stagingTag: "v1.2.4" }, createLineLogger([]))).toEqual([
      { field: "commit", value: SHA, commit: SHA },
      { field: "staging_tag", value: "v1.2.4", commit: COMMIT },
    ]);
    expect(calls).toEqual([["fetch"], ["tagExists", "v1.2.4"], ["resolveCommit", "refs/tags/v1.2.4"]]);
    expect(await resolveClaims(git, {}, createLineLogger([]))).toEqual([]);
  });

  it("refuses a commit that is not 40 hex digits with invalid_ref", async () => {
    const { git, calls } = createFakeGit({});
    const error = await planErrorOf(resolveClaims(git, { commit: "main" }, createLineLogger([])));
    expect({ code: error.code, message: error.message }).toEqual({
      code: "invalid_ref",
      message: 'invalid commit "main": expected the 40-hex SHA of the commit to deploy',
    });
    expect(calls).toEqual([]);
  });

  it("names the field in the errors of a staging tag", async () => {
    const { git } = createFakeGit({ fetch: async () => undefined, tagExists: async () => false });
    const error = await planErrorOf(resolveClaims(git, { stagingTag: "v9.9.9" }, createLineLogger([])));
    expect({ code: error.code, message: error.message, details: error.details }).toEqual({
      code: "tag_not_found",
      message: 'staging_tag: tag "v9.9.9" does not exist in the repository',
      details: { field: "staging_tag" },
    });
  });

  it("passes on an error of git that is not a plan error as it is", async () => {
    const broken = new Error("mirror is corrupt");
    const { git } = createFakeGit({ fetch: async () => undefined, tagExists: () => Promise.reject(broken) });
    await expect(resolveClaims(git, { stagingTag: "v1.2.4" }, createLineLogger([]))).rejects.toBe(broken);
  });
});
