import { redact } from "./redact.js";
import type { SyncError } from "./sync-error.js";

/** Characters of upstream text shown in a result or a log line. */
export const DISPLAY_DETAIL_LENGTH = 200;

/**
 * The message of a sync failure as results and logs show it: secret values masked first, in the message and in the
 * whole upstream `detail`, and only then the detail shortened to {@link DISPLAY_DETAIL_LENGTH} characters and `…`.
 *
 * @example
 * safeErrorMessage(new SyncError("dokploy_error", "[@iac/server] Dokploy compose.update: expected success, received 400", { detail }), secrets);
 * // '[@iac/server] Dokploy compose.update: expected success, received 400: "… password [redacted] …"'
 */
export function safeErrorMessage(error: SyncError, secrets: Iterable<string>): string {
  const values = [...secrets];
  const message = redact(error.message, values);
  if (error.detail === undefined) {
    return message;
  }
  const detail = redact(error.detail, values).replace(/\s+/g, " ").trim();
  const shown = detail.length > DISPLAY_DETAIL_LENGTH ? `${detail.slice(0, DISPLAY_DETAIL_LENGTH)}…` : detail;
  return `${message}: ${JSON.stringify(shown)}`;
}
