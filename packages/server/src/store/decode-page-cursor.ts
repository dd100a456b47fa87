import { encodePageCursor } from "./encode-page-cursor.js";

const DECIMAL = /^[1-9][0-9]{0,15}$/;

/**
 * The `seq` a page cursor made by {@link encodePageCursor} stands for.
 *
 * @throws {TypeError} when `cursor` was not made by {@link encodePageCursor} (edited, truncated, or from elsewhere).
 */
export function decodePageCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const seq = DECIMAL.test(text) ? Number(text) : Number.NaN;
  // Node decodes base64url leniently (it skips stray characters), so only a cursor that round-trips is accepted.
  if (!Number.isSafeInteger(seq) || encodePageCursor(seq) !== cursor) {
    throw new TypeError(
      `[@iac/server] invalid cursor: expected the nextCursor of a previous page, received ${JSON.stringify(cursor)}`,
    );
  }
  return seq;
}
