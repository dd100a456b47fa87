import type { DokployClient } from "@iac/sdk";
import type { Logger, SyncResult } from "../types.js";
import { redact } from "./redact.js";
import { stopDokployWork } from "./stop-dokploy-work.js";
import type { SyncError } from "./sync-error.js";

/** Inputs of {@link cancelledResult}. */
export interface CancelledResultInput {
  /** Not guarded by the cancelled signal: the calls made here are the cancel itself. */
  dokploy: DokployClient;
  /** The `cancelled` error, which says where the sync was. */
  failure: SyncError;
  /** Its reason is `{ force: boolean }`. */
  signal: AbortSignal | undefined;
  /** The compose whose deploy was requested (by this sync, or by the earlier attempt of its marker); else undefined. */
  requestedOn: string | undefined;
  /** The requested deploy already ended (the cancel came during the probe): nothing is left to stop in Dokploy. */
  deployEnded?: boolean | undefined;
  secrets: readonly string[];
  logger: Logger;
  /** The result fields known so far. */
  result: Omit<SyncResult, "status" | "error" | "cancelActions">;
}

/**
 * The `cancelled` result of a sync, after stopping what it asked Dokploy for: a requested deploy must not run after
 * the cancel, so its queued jobs are dropped (and with force the running build is killed). The message says where the
 * sync stopped, what Dokploy was asked and how it went, e.g. "cancelled while waiting for deployment X; Dokploy's
 * queued work was dropped; the running build was not killed (use force); no config hash was recorded".
 */
export async function cancelledResult(input: CancelledResultInput): Promise<SyncResult> {
  const { failure, requestedOn, secrets, logger } = input;
  const force = isForced(input.signal?.reason);
  let summary = "no deploy had been requested";
  let cancelActions: SyncResult["cancelActions"];
  if (input.deployEnded === true) {
    // A kill here would hit other composes' builds (`compose.killBuild` is per host) for a deploy that is over.
    summary = "the deploy had ended, so Dokploy was asked to stop nothing";
  } else if (requestedOn !== undefined) {
    const stopped = await stopDokployWork({ dokploy: input.dokploy, composeId: requestedOn, force, secrets, logger });
    summary = stopped.summary;
    cancelActions = stopped.actions;
  }
  const message = `${redact(failure.message, secrets)}; ${summary}; no config hash was recorded`;
  logger.warn(
    {
      code: "cancelled",
      force,
      cancelActions,
      composeId: input.result.composeId,
      deploymentId: input.result.dokployDeploymentId,
    },
    message,
  );
  return { ...input.result, status: "cancelled", error: { code: "cancelled", message }, cancelActions };
}

/** The abort reason of a cancel is `{ force: boolean }`; anything else (a plain `abort()`) is no force. */
function isForced(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && "force" in reason && reason.force === true;
}
