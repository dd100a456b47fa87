// Fixed vocabularies of label values. Whatever a client sends, a label takes one of these values, so a flood of
// made-up GitHub events cannot create new series.

import { PlanError } from "@iac/sync";
import { HttpError } from "../http/http-error.js";
import { StoreError } from "../store/store-error.js";

/** GitHub events a repository webhook commonly sends; any other is counted as `other`. */
const KNOWN_EVENTS: ReadonlySet<string> = new Set([
  "push",
  "ping",
  "create",
  "delete",
  "release",
  "pull_request",
  "workflow_run",
  "check_suite",
  "status",
]);

/** The `event` label of a delivery: a known GitHub event, `other` for any other, `none` without the header. */
export function eventLabel(event: string | null): string {
  if (event === null) {
    return "none";
  }
  return KNOWN_EVENTS.has(event) ? event : "other";
}

/** How `/webhook` answered a delivery it accepted to read. */
export type WebhookOutcome = "accepted" | "duplicate" | "ignored" | "no_changes" | "pong";

/** The codes of a refused signature (webhook and CI requests); see `verifyCiRequest`. */
const SIGNATURE_CODES: ReadonlySet<string> = new Set([
  "missing_signature",
  "invalid_signature",
  "timestamp_required",
  "stale_request",
  "replayed_request",
]);

/** Whether `code` is the refusal of a signature check. */
export function isSignatureCode(code: string): boolean {
  return SIGNATURE_CODES.has(code);
}

/**
 * The code of a refusal, as the HTTP layer answers it (see `toErrorResponse`): the code of an `HttpError` or a
 * `PlanError` (both from fixed tables in the code), `store_unavailable` for a `StoreError`, else `internal_error`.
 */
export function errorCode(error: unknown): string {
  if (error instanceof HttpError || error instanceof PlanError) {
    return error.code;
  }
  return error instanceof StoreError ? "store_unavailable" : "internal_error";
}
