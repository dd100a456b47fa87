import { COMMIT_SHA, FULL_REF, refName } from "./parse-push-head.js";
import type { PushRef } from "./types.js";

/** How GitHub starts every push delivery: compact JSON whose first keys are `ref`, `before` and `after`. */
const START = '{"ref":"';
const BEFORE = '","before":"';
const AFTER = '","after":"';
/** Far more than any ref and two SHA-256 commits take: a body that starts otherwise is not read further. */
const MOST = 1_024;
const QUOTE = 0x22;

/** The ASCII text of `body` from `from` to the next quote, or undefined when a byte on the way needs real decoding. */
function stringAt(body: Uint8Array, from: number): string | undefined {
  const end = Math.min(body.length, MOST);
  let text = "";
  for (let at = from; at < end; at += 1) {
    const byte = body[at] as number;
    if (byte === QUOTE) {
      return text;
    }
    // A backslash (an escape), a control character or a non-ASCII byte: only a JSON parser reads it right.
    if (byte === 0x5c || byte < 0x20 || byte > 0x7e) {
      return undefined;
    }
    text += String.fromCharCode(byte);
  }
  return undefined;
}

/** Whether `body` holds `literal` (ASCII) at `at`. */
function holds(body: Uint8Array, at: number, literal: string): boolean {
  if (at + literal.length > body.length) {
    return false;
  }
  for (let index = 0; index < literal.length; index += 1) {
    if (body[at + index] !== literal.charCodeAt(index)) {
      return false;
    }
  }
  return true;
}

/**
 * The ref a push delivery moved, read from the start of its raw body without parsing the rest, when the body starts
 * the way GitHub writes every push: `{"ref":"…","before":"…","after":"…"` (compact, plain ASCII, those three keys
 * first). Undefined for any other start (whitespace, another key order, escapes, a ref or SHA `parsePushHead` would
 * refuse): parse the whole payload then.
 *
 * A receiver that follows one branch uses it to answer pushes to other refs without parsing their commits. The body
 * must have been verified first; the rest of it is not checked, so a push that is not ignored must still be parsed.
 *
 * @example
 * ```ts
 * const ref = readPushRef(rawBody);
 * if (ref !== undefined && ref.branch !== "main") {
 *   return ignored(ref);
 * }
 * const push = parsePushEvent(JSON.parse(new TextDecoder().decode(rawBody)));
 * ```
 */
export function readPushRef(body: Uint8Array): PushRef | undefined {
  if (!holds(body, 0, START)) {
    return undefined;
  }
  const ref = stringAt(body, START.length);
  if (ref === undefined || !FULL_REF.test(ref)) {
    return undefined;
  }
  const beforeAt = START.length + ref.length;
  const before = holds(body, beforeAt, BEFORE) ? stringAt(body, beforeAt + BEFORE.length) : undefined;
  if (before === undefined || !COMMIT_SHA.test(before)) {
    return undefined;
  }
  const afterAt = beforeAt + BEFORE.length + before.length;
  const after = holds(body, afterAt, AFTER) ? stringAt(body, afterAt + AFTER.length) : undefined;
  if (after === undefined || !COMMIT_SHA.test(after)) {
    return undefined;
  }
  return { ref, branch: refName(ref, "refs/heads/"), tag: refName(ref, "refs/tags/"), before, after };
}
