import { type CommitFiles, mergeCommitFiles } from "./merge-commit-files.js";
import { parsePushHead } from "./parse-push-head.js";
import { failField, isJsonObject, type JsonObject } from "./push-event-fields.js";
import type { PushEvent } from "./types.js";

// GitHub lists at most this many commits in a push payload; a push of more is truncated.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#push
const MAX_LISTED_COMMITS = 2048;
const ZERO_SHA = /^0+$/;
const FILE_LISTS = ["added", "modified", "removed"] as const;

/** A commit's file lists, those GitHub left out as empty; `whole` is false when it left any out. */
function readCommitFiles(commit: unknown, index: number): CommitFiles & { whole: boolean } {
  if (!isJsonObject(commit)) {
    return failField(`commits[${index}]`, "an object", commit);
  }
  const files: CommitFiles & { whole: boolean } = { added: [], modified: [], removed: [], whole: true };
  for (const name of FILE_LISTS) {
    const list = commit[name];
    if (list === undefined) {
      files.whole = false;
      continue;
    }
    if (!Array.isArray(list)) {
      return failField(`commits[${index}].${name}`, "an array of strings", list);
    }
    for (let at = 0; at < list.length; at += 1) {
      const path: unknown = list[at];
      if (typeof path !== "string" || path === "") {
        failField(`commits[${index}].${name}[${at}]`, "a non-empty string", path);
      }
    }
    files[name] = list;
  }
  return files;
}

/**
 * Reads a GitHub `push` webhook payload (already JSON-parsed, after its signature was verified) into the fields the
 * runner acts on: those of {@link parsePushHead}, and the files its commits changed.
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
  const head = parsePushHead(payload);
  // parsePushHead refused anything but an object.
  const { commits } = payload as JsonObject;
  if (!Array.isArray(commits)) {
    return failField("commits", "an array", commits);
  }
  const commitFiles = commits.map(readCommitFiles);
  const { before, after, created, deleted, forced } = head;
  const complete =
    !created &&
    !deleted &&
    !forced &&
    !ZERO_SHA.test(before) &&
    !ZERO_SHA.test(after) &&
    commits.length < MAX_LISTED_COMMITS &&
    commitFiles.every((commit) => commit.whole) &&
    (commits.length > 0 || before === after);
  return { ...head, files: mergeCommitFiles(commitFiles), complete };
}
