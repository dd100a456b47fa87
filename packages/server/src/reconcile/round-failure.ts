import { PlanError } from "@iac/sync";
import { isSyncError } from "../engine/sync-error.js";
import type { Logger } from "../types.js";

/**
 * The `detail` of a round (or environment) that could not be compared. Plan and sync errors say what failed without
 * upstream text; anything else (the store) is logged and only pointed at.
 */
export function roundFailure(error: unknown, logger: Logger, env: string): string {
  if (error instanceof PlanError || isSyncError(error)) {
    return error.message;
  }
  logger.warn({ err: error, env }, "drift detection round failed; trying again next round");
  return "the round failed; see the runner's log";
}
