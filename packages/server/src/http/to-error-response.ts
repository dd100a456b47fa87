import { PlanError } from "@iac/sync";
import type { Logger } from "../types.js";
import { HttpError } from "./http-error.js";

/**
 * Turns anything a handler threw into a response: an {@link HttpError} answers as itself, a `PlanError` with the
 * status its code has in `PLAN_ERRORS`, and anything else is logged and answered with a generic 500 whose body never
 * carries the original message or stack.
 */
export function toErrorResponse(error: unknown, logger: Logger): Response {
  if (error instanceof HttpError) {
    return error.getResponse();
  }
  if (error instanceof PlanError) {
    return new HttpError(error.status, error.code, error.message, { details: error.details }).getResponse();
  }
  logger.error({ err: error }, "unhandled error");
  return new HttpError(500, "internal_error", "internal error").getResponse();
}
