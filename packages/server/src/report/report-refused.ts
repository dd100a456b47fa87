/**
 * Rejects a report that can never be delivered (the target refuses the request itself, e.g. 401/404/422 from GitHub):
 * the reporter stops retrying it at once and logs the message. Any other rejection is retried with backoff.
 */
export class ReportRefused extends Error {
  override readonly name = "ReportRefused";
}
