import { sign } from "@iac/sync";
import type { JobNotification } from "../../types.js";
import type { ResolvedTarget } from "./resolve-target.js";
import { slackMessage } from "./slack-message.js";

/**
 * The POST for one target: Slack's message, or the versioned JSON signed over its exact bytes with the target's
 * key. `delivery` is the same on every attempt for a job and target, so a receiver can drop a redelivery.
 */
export async function notificationRequest(
  target: Extract<ResolvedTarget, { url: string }>,
  notification: JobNotification,
  delivery: string,
  signal: AbortSignal,
): Promise<Request> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  let body: string;
  if (target.type === "slack") {
    body = JSON.stringify(slackMessage(notification));
  } else {
    body = JSON.stringify(notification);
    headers["x-iac-event"] = notification.event;
    headers["x-iac-delivery"] = delivery;
    headers["x-iac-signature-256"] = await sign(target.secret, body);
  }
  // A receiver that redirects is misconfigured; following would turn the POST into a GET elsewhere.
  return new Request(target.url, { method: "POST", headers, body, redirect: "manual", signal });
}
