import type { DokployClient } from "@iac/sdk";
import type { Logger, SyncClock } from "../types.js";
import { dokployCall } from "./dokploy-call.js";
import { settleDeploy } from "./settle-deploy.js";
import { isSyncError, SyncError } from "./sync-error.js";

/** Polls of the confirm window after a `compose.deploy` whose answer was lost. */
const CONFIRM_POLLS = 3;

/** Options of {@link requestDeploy}. */
export interface RequestDeployOptions {
  dokploy: DokployClient;
  composeId: string;
  title: string;
  description: string;
  /** Deployment ids of the compose before this call. */
  known: ReadonlySet<string>;
  clock: SyncClock;
  intervalMs: number;
  /** Upper bound of the confirm window. */
  timeoutMs: number;
  logger: Logger;
  signal?: AbortSignal | undefined;
}

/**
 * Calls `compose.deploy` once (never retried: a second call would queue a second deploy). When the call gets no
 * usable answer (`dokploy_unreachable`: no response, a timeout, a 5xx), Dokploy may have queued the deploy anyway, so
 * the outcome is settled by reading Dokploy ({@link settleDeploy}, over a few poll intervals): a new deployment row
 * means the call went through and the caller waits for it as usual.
 *
 * @throws {SyncError} `deploy_unconfirmed` (transient) when no row appeared and Dokploy's queue was cleaned, or the
 * check itself failed; any other error of the call as it is.
 */
export async function requestDeploy(options: RequestDeployOptions): Promise<void> {
  const { dokploy, composeId, logger } = options;
  try {
    await dokployCall("compose.deploy", () =>
      dokploy.POST("/compose.deploy", {
        body: { composeId, title: options.title, description: options.description },
      }),
    );
    return;
  } catch (error) {
    if (!isSyncError(error) || error.code !== "dokploy_unreachable") {
      throw error;
    }
    logger.warn({ code: error.code, error: error.message }, "compose.deploy got no answer; checking whether it ran");
  }
  const windowMs = Math.min(CONFIRM_POLLS * options.intervalMs, options.timeoutMs);
  const row = await settleDeploy({ ...options, windowMs }).catch((error: unknown) => {
    if (isSyncError(error) && error.code === "cancelled") {
      throw error;
    }
    const reason = isSyncError(error) ? error.message : "an unexpected error";
    throw new SyncError(
      "deploy_unconfirmed",
      `[@iac/server] Dokploy compose.deploy: expected an answer or a new deployment row, received neither, and checking failed (${reason})`,
      { cause: error },
    );
  });
  if (row === undefined) {
    throw new SyncError(
      "deploy_unconfirmed",
      `[@iac/server] Dokploy compose.deploy: expected an answer or a new deployment row, received neither within ${windowMs} ms; Dokploy's queued deploys of the compose were dropped, so none runs later`,
    );
  }
  logger.info({ deploymentId: row.deploymentId }, "compose.deploy had gone through: its deployment row appeared");
}
