import type { FetchLike } from "@iac/sdk";
import type { NotifyTarget } from "@iac/sync";
import type { JobNotification, VariableLookup } from "../../types.js";
import { notificationRequest } from "./notification-request.js";
import { type PostOutcome, postNotification } from "./post-notification.js";
import { type ResolvedTarget, resolveTarget } from "./resolve-target.js";

/** What one target needs to be sent a job's notification. */
export interface TargetDelivery {
  target: NotifyTarget;
  /** The same for every attempt of one job and target. */
  delivery: string;
  notification: JobNotification;
  lookup: VariableLookup;
  fetch: FetchLike;
  timeoutMs: number;
}

/** Resolves the target's variables and posts its message; a lookup that throws is retried like a network error. */
export async function deliverToTarget(options: TargetDelivery): Promise<PostOutcome> {
  let resolved: ResolvedTarget;
  try {
    resolved = await resolveTarget(options.target, options.lookup);
  } catch {
    return { kind: "retry", reason: "the runner's variables could not be read" };
  }
  if (resolved.type === "refused") {
    return { kind: "refused", reason: resolved.reason };
  }
  const signal = AbortSignal.timeout(options.timeoutMs);
  const request = await notificationRequest(resolved, options.notification, options.delivery, signal);
  return postNotification(options.fetch, request);
}
