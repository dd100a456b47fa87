import { createHash } from "node:crypto";
import type { NotifyTarget } from "@iac/sync";

/**
 * A short stable id of a target, for the memo and the `X-Iac-Delivery` header. A digest rather than the target
 * itself: a written-out Slack URL is a credential and must not be copied into the job store.
 */
export function targetKey(target: NotifyTarget): string {
  return createHash("sha256")
    .update(JSON.stringify([target.type, target.url, target.secret]))
    .digest("hex")
    .slice(0, 16);
}
