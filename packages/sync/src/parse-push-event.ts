import { describeValue } from "./describe-value.js";
import { type CommitFiles, mergeCommitFiles } from "./merge-commit-files.js";
import { PushEventError } from "./push-event-error.js";
import type { PushEvent } from "./types.js";

// GitHub lists at most this many commits in a push payload; a push of more is truncated.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
const MAX_LISTED_COMMITS = 2048;
const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ZERO_SHA = /^0+$/;
const FILE_LISTS = ["added", "modified", "removed"] as const;

type Json = Readonly<Record<string, unknown>>;

function fail(field: string, expected: string, value: unknown): never {
  throw new PushEventError(field, `must be ${expected}, received ${describeValue(value)}`);
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readString(event: Json, field: string, pattern: RegExp, expected: string): string {
  const value = event[field];
  return typeof value === "string" && pattern.test(value) ? value : fail(field, expected, value);
}

function readBoolean(event: Json, field: string): boolean {
  const value = event[field];
  return typeof value === "boolean" ? value : fail(field, "a boolean", value);
}

/** A commit's file lists; `whole` is false when GitHub left any of them out (those count as empty). */
function readCommitFiles(commit: unknown, index: number): { files: CommitFiles; whole: boolean } {
  if (!isObject(commit)) {
    return fail(`commits[${index}]`, "an object", commit);
  }
  const files: CommitFiles = { added: [], modified: [], removed: [] };
  let whole = true;
  for (const name of FILE_LISTS) {
    const list = commit[name];
    if (list === undefined) {
      whole = false;
      continue;
    }
    if (!Array.isArray(list)) {
      return fail(`commits[${index}].${name}`, "an array of strings", list);
    }
    list.forEach((path: unknown, at) => {
      if (typeof path !== "string" || path === "") {
        fail(`commits[${index}].${name}[${at}]`, "a non-empty string", path);
      }
    });
    files[name] = list;
  }
  return { files, whole };
}

function refName(ref: string, prefix: string): string | null {
  return ref.startsWith(prefix) && ref.length > prefix.length ? ref.slice(prefix.length) : null;
}

/**
 * Reads a GitHub `push` webhook payload (already JSON-parsed, after its signature was verified) into the fields the
 * runner acts on.
 *
 * `files` is the net change described by `commits`, each path in one list in first-seen order: a path added and
 * later modified is added, added and later removed is left out, removed and later added again is modified, modified
 * and later removed is removed.
 *
 * `complete` is false when `commits` may not describe the whole change: a created or deleted ref (`before` or `after`
 * all zeros), a forced push, 2048 or more commits (GitHub truncates the list), a commit without its file lists, or
 * no commits although `before` and `after` differ. The caller should then diff `before..after` in git.
 *
 * @throws {PushEventError} when the payload does not have the shape of a push event; `field` names the field and the
 * message says what was expected, e.g.
 * `[@iac/sync] invalid push event: commits[3].added must be an array of strings, received number`.
 * @example
 * ```ts
 * const push = parsePushEvent(JSON.parse(body));
 * if (push.branch === "main" && !push.deleted) {
 *   const changed = push.complete ? push.files : await mirror.diffPaths(push.before, push.after);
 * }
 * ```
 */
export function parsePushEvent(payload: unknown): PushEvent {
  if (!isObject(payload)) {
    return fail("payload", "an object", payload);
  }
  const ref = readString(payload, "ref", /^refs\/\S+$/, 'a full ref such as "refs/heads/main"');
  const before = readString(payload, "before", COMMIT_SHA, "a commit SHA of 40 (or 64) lower-case hex digits");
  const after = readString(payload, "after", COMMIT_SHA, "a commit SHA of 40 (or 64) lower-case hex digits");
  const created = readBoolean(payload, "created");
  const deleted = readBoolean(payload, "deleted");
  const forced = readBoolean(payload, "forced");
  const { commits } = payload;
  if (!Array.isArray(commits)) {
    return fail("commits", "an array", commits);
  }
  const commitFiles = commits.map(readCommitFiles);
  const complete =
    !created &&
    !deleted &&
    !forced &&
    !ZERO_SHA.test(before) &&
    !ZERO_SHA.test(after) &&
    commits.length < MAX_LISTED_COMMITS &&
    commitFiles.every((commit) => commit.whole) &&
    (commits.length > 0 || before === after);
  return {
    ref,
    branch: refName(ref, "refs/heads/"),
    tag: refName(ref, "refs/tags/"),
    before,
    after,
    created,
    deleted,
    forced,
    files: mergeCommitFiles(commitFiles.map((commit) => commit.files)),
    complete,
  };
}
