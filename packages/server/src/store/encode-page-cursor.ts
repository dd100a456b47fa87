/**
 * The opaque `nextCursor` of a job page: the base64url form of the `seq` of the last job on the page. The next page
 * holds the jobs with a lower `seq` (older ones), so pages stay stable while new jobs arrive.
 */
export function encodePageCursor(seq: number): string {
  return Buffer.from(String(seq), "utf8").toString("base64url");
}
