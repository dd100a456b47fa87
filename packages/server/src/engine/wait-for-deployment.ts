import type { DokployClient } from "@iac/sdk";
import type { Logger, SyncClock } from "../types.js";
import { dokployCall } from "./dokploy-call.js";
import { findNewDeployment } from "./find-new-deployment.js";
import { sleepUnlessCancelled } from "./sleep-unless-cancelled.js";
import { isSyncError, SyncError } from "./sync-error.js";

/** How a deployment row ended. */
export interface DeploymentOutcome {
  deploymentId: string;
  status: "done" | "error" | "cancelled";
  /** Dokploy's text, whole: it may echo secret values, so it is redacted before it is shown. */
  errorMessage: string | null;
}

/** Options of {@link waitForDeployment}. */
export interface WaitForDeploymentOptions {
  dokploy: DokployClient;
  composeId: string;
  /** Deployment ids that existed before `compose.deploy` was called. */
  known: ReadonlySet<string>;
  clock: SyncClock;
  timeoutMs: number;
  intervalMs: number;
  logger: Logger;
  /** Called with the id of the new deployment row as soon as it appears. */
  onDeployment?: ((deploymentId: string) => void) | undefined;
  /** Ends the wait at once (a `cancelled` error) when aborted. */
  signal?: AbortSignal | undefined;
}

const TERMINAL: ReadonlySet<string> = new Set(["done", "error", "cancelled"]);
/** The first poll comes this soon; the wait then doubles up to `intervalMs` (most deploys end within seconds). */
const FIRST_POLL_MS = 100;

/** The ids of a compose's deployment rows; taken before deploying so the new row can be told apart. */
export async function deploymentIds(dokploy: DokployClient, composeId: string): Promise<Set<string>> {
  const rows = await dokployCall("deployment.allByCompose", () =>
    dokploy.GET("/deployment.allByCompose", { params: { query: { composeId } } }),
  );
  return new Set(rows.map((row) => row.deploymentId));
}

/**
 * Polls `deployment.allByCompose` until a deployment row that was not `known` before the deploy reaches `done`,
 * `error` or `cancelled` (`compose.deploy` only queues a job; `composeStatus` keeps its old value until the worker
 * picks the job up). When several new rows exist, the oldest one is the deploy this sync queued. A poll that gets no
 * answer is retried until the deadline. Polls start 100 ms apart and back off to `intervalMs`, so a short deploy is
 * noticed at once and a long one costs few requests.
 *
 * @throws {SyncError} `deploy_timeout` when nothing finished within `timeoutMs`; `cancelled` as soon as `signal`
 * aborts.
 */
export async function waitForDeployment(options: WaitForDeploymentOptions): Promise<DeploymentOutcome> {
  const { dokploy, composeId, known, clock, logger, signal } = options;
  const deadline = clock.now() + options.timeoutMs;
  let seen: string | undefined;
  let status: string | null = null;
  let delay = Math.min(FIRST_POLL_MS, options.intervalMs);
  for (;;) {
    const ours = await findNewDeployment(dokploy, composeId, known).catch((error: unknown) => {
      if (isSyncError(error) && error.code === "dokploy_unreachable") {
        logger.warn({ code: error.code, error: error.message }, "deployment poll failed, retrying");
        return undefined;
      }
      throw error;
    });
    if (ours !== undefined) {
      if (seen !== ours.deploymentId) {
        seen = ours.deploymentId;
        options.onDeployment?.(seen);
      }
      status = ours.status;
      if (ours.status !== null && TERMINAL.has(ours.status)) {
        return {
          deploymentId: ours.deploymentId,
          status: ours.status as DeploymentOutcome["status"],
          errorMessage: ours.errorMessage ?? null,
        };
      }
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw new SyncError(
        "deploy_timeout",
        `[@iac/server] deploy of compose ${composeId} did not finish within ${options.timeoutMs} ms (${
          seen === undefined ? "no deployment row appeared" : `deployment ${seen} still ${status ?? "running"}`
        })`,
      );
    }
    const where =
      seen === undefined ? "while waiting for the deployment to start" : `while waiting for deployment ${seen}`;
    await sleepUnlessCancelled(clock, Math.min(delay, remaining), signal, where);
    delay = Math.min(delay * 2, options.intervalMs);
  }
}
