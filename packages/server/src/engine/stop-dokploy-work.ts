import type { DokployClient } from "@iac/sdk";
import type { CancelAction, Logger } from "../types.js";
import { dokployCall } from "./dokploy-call.js";
import { safeErrorMessage } from "./safe-error-message.js";
import { toSyncError } from "./sync-error.js";

/** Options of {@link stopDokployWork}. */
export interface StopDokployWorkOptions {
  /** A client that is not guarded by the cancelled signal: these calls are the cancel itself. */
  dokploy: DokployClient;
  composeId: string;
  /** Also kill the running build; it kills every running compose build on that Dokploy host, hence only on force. */
  force: boolean;
  /** Masked in the errors reported. */
  secrets: readonly string[];
  logger: Logger;
}

/** What {@link stopDokployWork} asked Dokploy, and a sentence saying what that means. */
export interface StoppedWork {
  actions: CancelAction[];
  summary: string;
}

/**
 * Stops the work a cancelled sync asked Dokploy for: `compose.cleanQueues` drops its queued deploy jobs (so none
 * starts later), then with `force` `compose.killBuild` stops the running build. Self-hosted Dokploy cannot cancel one
 * deployment (`compose.cancelDeployment` is cloud-only). A failed call is reported, never thrown.
 */
export async function stopDokployWork(options: StopDokployWorkOptions): Promise<StoppedWork> {
  const { dokploy, composeId, secrets, logger } = options;
  const body = { body: { composeId } };
  const actions: CancelAction[] = [];
  const run = async (action: CancelAction["action"], call: () => Promise<unknown>): Promise<CancelAction> => {
    try {
      await call();
      const done: CancelAction = { action, ok: true };
      actions.push(done);
      return done;
    } catch (error) {
      const failed: CancelAction = { action, ok: false, error: safeErrorMessage(toSyncError(error), secrets) };
      logger.warn({ action, error: failed.error }, "cancel: Dokploy call failed");
      actions.push(failed);
      return failed;
    }
  };

  const clean = await run("compose.cleanQueues", () =>
    dokployCall("compose.cleanQueues", () => dokploy.POST("/compose.cleanQueues", body)),
  );
  const parts = [clean.ok ? "Dokploy's queued work was dropped" : "dropping Dokploy's queued work failed"];
  if (options.force) {
    const kill = await run("compose.killBuild", () =>
      dokployCall("compose.killBuild", () => dokploy.POST("/compose.killBuild", body)),
    );
    parts.push(kill.ok ? "the running build was killed" : "killing the running build failed");
  } else {
    parts.push("the running build was not killed (use force)");
  }
  return { actions, summary: parts.join("; ") };
}
