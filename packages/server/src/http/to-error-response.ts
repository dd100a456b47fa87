import { PlanError } from "@iac/sync";
import { StoreError } from "../store/store-error.js";
import type { Logger } from "../types.js";
import { HttpError } from "./http-error.js";

/**
 * Turns anything a handler threw into a response: an {@link HttpError} answers as itself, a `PlanError` with the
 * status its code has in `PLAN_ERRORS`, a `StoreError` with 503 `store_unavailable`, and anything else is logged and
 * answered with a generic 500 whose body never carries the original message or stack.
 */
export function toErrorResponse(error: unknown, logger: Logger): Response {
  if (error instanceof HttpError) {
    return error.getResponse();
  }
  if (error instanceof PlanError) {
    return new HttpError(error.status, error.code, error.message, { details: error.details }).getResponse();
  }
  if (error instanceof StoreError) {
    // The database is an upstream dependency: say so, and that a retry may work, without its error text.
    logger.error({ err: error }, "job store unavailable");
    return new HttpError(503, "store_unavailable", "the job store is unavailable; try again later", {
      headers: { "retry-after": "10" },
    }).getResponse();
  }
  logger.error({ err: error }, "unhandled error");
  return new HttpError(500, "internal_error", "internal error").getResponse();
}
