import { type CommitClaim, PlanError } from "@iac/sync";
import { isCommitSha, refNameProblem } from "../git/ref-name.js";
import type { GitMirror, Logger } from "../types.js";
import { fetchRepository } from "./fetch-repository.js";

/** What a `/deploy` names: a release tag or an exact commit. */
export type ReleaseRef = { tag: string } | { ref: string };

/**
 * Resolves a `/deploy` target to a commit. A tag is always looked up after a fetch (tags can be moved); a commit SHA
 * already in the mirror needs no fetch.
 *
 * @throws {PlanError} `invalid_tag`, `invalid_ref`, `tag_not_found`, `commit_not_found` or `git_fetch_failed`.
 */
export async function resolveRelease(git: GitMirror, target: ReleaseRef, logger: Logger): Promise<string> {
  if ("tag" in target) {
    const { tag } = target;
    const problem = refNameProblem(tag);
    if (problem !== undefined || tag.startsWith("refs/")) {
      throw new PlanError(
        "invalid_tag",
        `invalid tag ${JSON.stringify(tag)}: it ${problem ?? "must be a tag name, not a full ref"}`,
      );
    }
    await fetchRepository(git, logger);
    const commit = (await git.tagExists(tag)) ? await git.resolveCommit(`refs/tags/${tag}`) : null;
    if (commit === null) {
      throw new PlanError("tag_not_found", `tag ${JSON.stringify(tag)} does not exist in the repository`);
    }
    return commit;
  }
  const { ref } = target;
  if (!isCommitSha(ref)) {
    throw new PlanError("invalid_ref", `invalid ref ${JSON.stringify(ref)}: expected a 40-hex commit SHA`);
  }
  const known = await git.resolveCommit(ref);
  if (known !== null) {
    return known;
  }
  await fetchRepository(git, logger);
  const fetched = await git.resolveCommit(ref);
  if (fetched === null) {
    throw new PlanError("commit_not_found", `commit ${ref} does not exist in the repository`);
  }
  return fetched;
}

/** The fields of the original runner's release workflows that say which commit a `/deploy` target is at. */
export interface ReleaseClaims {
  /** `commit`: the commit the staging workflow tagged (its `github.sha`). */
  commit?: string | undefined;
  /** `staging_tag`: the staging release the production tag promotes. */
  stagingTag?: string | undefined;
}

/**
 * Resolves the claims of a `/deploy` request to commits, for `resolvePlan` to compare with the target's. A staging
 * tag is resolved like a target tag (validated, looked up after a fetch); its errors name the field.
 *
 * @throws {PlanError} `invalid_ref` for a `commit` that is not 40 hex digits; for `staging_tag`, what
 * `resolveRelease` throws for a tag.
 */
export async function resolveClaims(git: GitMirror, claims: ReleaseClaims, logger: Logger): Promise<CommitClaim[]> {
  const resolved: CommitClaim[] = [];
  if (claims.commit !== undefined) {
    if (!isCommitSha(claims.commit)) {
      throw new PlanError(
        "invalid_ref",
        `invalid commit ${JSON.stringify(claims.commit)}: expected the 40-hex SHA of the commit to deploy`,
      );
    }
    resolved.push({ field: "commit", value: claims.commit, commit: claims.commit });
  }
  if (claims.stagingTag !== undefined) {
    const value = claims.stagingTag;
    try {
      resolved.push({ field: "staging_tag", value, commit: await resolveRelease(git, { tag: value }, logger) });
    } catch (error) {
      if (error instanceof PlanError) {
        throw new PlanError(error.code, `staging_tag: ${error.message}`, { ...error.details, field: "staging_tag" });
      }
      throw error;
    }
  }
  return resolved;
}
