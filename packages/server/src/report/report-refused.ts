import type { ReportMemo } from "../types.js";

/**
 * Rejects a report that can never be delivered (the target refuses the request itself, e.g. 401/404/422 from GitHub):
 * the reporter stops retrying it at once and logs the message. Any other rejection is retried with backoff.
 */
export class ReportRefused extends Error {
  override readonly name = "ReportRefused";
}

/**
 * Rejects a report that was delivered in part (e.g. to one of two notification targets): the reporter keeps `memo`,
 * so the next attempt is told what already went out and sends only the rest.
 */
export class ReportPartial extends Error {
  override readonly name = "ReportPartial";
  readonly memo: ReportMemo;

  constructor(message: string, memo: ReportMemo) {
    super(message);
    this.memo = memo;
  }
}
