import { failField, isJsonObject, type JsonObject } from "./push-event-fields.js";
import type { PushHead } from "./types.js";

/** A commit SHA as GitHub writes it: 40 (SHA-1) or 64 (SHA-256) lower-case hex digits. */
export const COMMIT_SHA: RegExp = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** A full ref as a push names it. */
export const FULL_REF: RegExp = /^refs\/\S+$/;

function readString(event: JsonObject, field: string, pattern: RegExp, expected: string): string {
  const value = event[field];
  return typeof value === "string" && pattern.test(value) ? value : failField(field, expected, value);
}

function readBoolean(event: JsonObject, field: string): boolean {
  const value = event[field];
  return typeof value === "boolean" ? value : failField(field, "a boolean", value);
}

/** The name below `prefix` (`refs/heads/main` → `main`), null when `ref` is not below it. */
export function refName(ref: string, prefix: string): string | null {
  return ref.startsWith(prefix) && ref.length > prefix.length ? ref.slice(prefix.length) : null;
}

/**
 * Reads what a GitHub `push` payload (already JSON-parsed, after its signature was verified) says about its ref: the
 * ref, branch or tag, `before`, `after` and the three flags, checked as `parsePushEvent` checks them, leaving the
 * commits unread. A receiver decides from it whether the push concerns it at all (a branch it does not follow, a
 * tag, a deletion) without paying for the commit lists of pushes it ignores.
 *
 * @throws {PushEventError} when one of these fields (or the payload itself) does not have the shape of a push event.
 * @example
 * ```ts
 * const payload = JSON.parse(body);
 * if (parsePushHead(payload).branch === "main") {
 *   const push = parsePushEvent(payload);
 * }
 * ```
 */
export function parsePushHead(payload: unknown): PushHead {
  if (!isJsonObject(payload)) {
    return failField("payload", "an object", payload);
  }
  const ref = readString(payload, "ref", FULL_REF, 'a full ref such as "refs/heads/main"');
  return {
    ref,
    branch: refName(ref, "refs/heads/"),
    tag: refName(ref, "refs/tags/"),
    before: readString(payload, "before", COMMIT_SHA, "a commit SHA of 40 (or 64) lower-case hex digits"),
    after: readString(payload, "after", COMMIT_SHA, "a commit SHA of 40 (or 64) lower-case hex digits"),
    created: readBoolean(payload, "created"),
    deleted: readBoolean(payload, "deleted"),
    forced: readBoolean(payload, "forced"),
  };
}
