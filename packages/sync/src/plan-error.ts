import { PLAN_ERRORS } from "./plan-errors.js";
import type { PlanErrorCode } from "./types.js";

/**
 * A request refused while it is resolved into a plan: an unknown environment or service, a manual service, a bad
 * tag or ref, a commit git cannot find. `status` comes from `PLAN_ERRORS`. The message and `details` are meant for the
 * API client as they are, so they never carry a secret nor the `[@iac/sync]` prefix of programmer errors.
 *
 * @example
 * throw new PlanError("tag_not_found", 'tag "v9.9.9" does not exist in the repository');
 * // error.status === 404
 */
export class PlanError extends Error {
  override readonly name = "PlanError";
  readonly code: PlanErrorCode;
  /** HTTP status of `code` in `PLAN_ERRORS`. */
  readonly status: number;
  /** Extra fields for the client, e.g. `{ known: [...] }` listing the valid values. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: PlanErrorCode, message: string, details: Readonly<Record<string, unknown>> = {}) {
    // A code outside the table would otherwise surface later as a status of undefined.
    if (!Object.hasOwn(PLAN_ERRORS, code)) {
      throw new TypeError(
        `[@iac/sync] invalid plan error code ${JSON.stringify(code)}: expected one of ${Object.keys(PLAN_ERRORS).join(", ")}`,
      );
    }
    super(message);
    this.code = code;
    this.status = PLAN_ERRORS[code].status;
    this.details = Object.freeze({ ...details });
  }
}
