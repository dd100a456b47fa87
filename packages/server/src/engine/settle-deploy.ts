import type { DokployClient, DokployDeployment } from "@iac/sdk";
import type { Logger, SyncClock } from "../types.js";
import { dokployCall } from "./dokploy-call.js";
import { findNewDeployment } from "./find-new-deployment.js";
import { sleepUnlessCancelled } from "./sleep-unless-cancelled.js";
import { isSyncError } from "./sync-error.js";

/** Options of {@link settleDeploy}. */
export interface SettleDeployOptions {
  dokploy: DokployClient;
  composeId: string;
  /** Deployment ids of the compose before the deploy in question was requested. */
  known: ReadonlySet<string>;
  clock: SyncClock;
  /** How long to watch for the row before cleaning the queue; 0 looks once. */
  windowMs: number;
  intervalMs: number;
  logger: Logger;
  signal?: AbortSignal | undefined;
}

/**
 * Tells whether a deploy that was requested without a known outcome (its answer was lost, or an earlier attempt
 * stopped after asking) exists in Dokploy: the deployment row not in `known`, or undefined when there is none and
 * none can appear any more.
 *
 * It watches `deployment.allByCompose` for `windowMs` (polls that get no answer count as "not seen yet"). Without a
 * row, the deploy may still sit in Dokploy's queue (rows are created at pick-up), where it would run later behind the
 * runner's back: `compose.cleanQueues` drops it, and one more look, after one interval so that a job the worker took
 * just before the clean has created its row, is the final word.
 *
 * @throws {SyncError} when `compose.cleanQueues` or the final look fails: the outcome is still unknown.
 */
export async function settleDeploy(options: SettleDeployOptions): Promise<DokployDeployment | undefined> {
  const { dokploy, composeId, known, clock, intervalMs, logger, signal } = options;
  const deadline = clock.now() + options.windowMs;
  const where = "while checking whether Dokploy received the deploy";
  for (;;) {
    const row = await findNewDeployment(dokploy, composeId, known).catch((error: unknown) => {
      if (isSyncError(error) && error.code === "dokploy_unreachable") {
        logger.warn({ code: error.code, error: error.message }, "deployment check failed, retrying");
        return undefined;
      }
      throw error;
    });
    if (row !== undefined) {
      return row;
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      break;
    }
    await sleepUnlessCancelled(clock, Math.min(intervalMs, remaining), signal, where);
  }
  await dokployCall("compose.cleanQueues", () => dokploy.POST("/compose.cleanQueues", { body: { composeId } }));
  logger.info({ composeId }, "no deployment row found: Dokploy's queued deploys of the compose were dropped");
  await sleepUnlessCancelled(clock, intervalMs, signal, where);
  return await findNewDeployment(dokploy, composeId, known);
}
