import type { WebhookVerifier } from "@iac/sync";
import type { HealthMonitor } from "./health/create-health-monitor.js";
import type { RunnerMetrics } from "./metrics/create-runner-metrics.js";
import type { SettledDeliveries } from "./routes/settled-deliveries.js";
import type {
  DriftReport,
  GitMirror,
  JobStore,
  Logger,
  PullPlanner,
  RunnerSettings,
  SyncEngine,
  WebhookSecrets,
} from "./types.js";

/** What every route handler needs; built once by `createRunner`. */
export interface RunnerContext {
  settings: RunnerSettings;
  git: GitMirror;
  engine: SyncEngine;
  /** Jobs, delivery and request dedupe, nonces and branch positions; shared with other runners. */
  store: JobStore;
  /** Deliveries whose job ended for good, answered as duplicates without reading the store. */
  deliveries: SettledDeliveries;
  logger: Logger;
  /** Milliseconds since the epoch. */
  now: () => number;
  /**
   * Accepted webhook secrets, current first; asked on every request so a rotation applies without a restart. Given at
   * once while nothing needs to be read.
   *
   * @throws {HttpError} 503 `not_configured` when there is none (at once or as the promise's rejection).
   */
  secrets: WebhookSecrets;
  /** The verifier of webhook signatures with {@link RunnerContext.secrets}, made once per list of secrets. */
  verifier: () => WebhookVerifier | Promise<WebhookVerifier>;
  /** How long `/webhook` may work before answering 202 and finishing in the background. */
  webhookDeadlineMs: number;
  health: HealthMonitor;
  /** Counters and gauges of `GET /metrics`; the runner's own registry. */
  metrics: RunnerMetrics;
  version: string;
  startedAt: number;
  /** The last drift detection round's report (`DEPLOY_ENV`, then the other environments), or why there is none. */
  drift: () => Promise<DriftReport>;
  /** Plans of pull requests to the branch, posted as comments; undefined without `GITHUB_TOKEN`. */
  pullPlanner: PullPlanner | undefined;
}

/**
 * One endpoint: gets the request, a logger bound to its request id, and that id (made on first use: a request that
 * neither logs nor returns it never pays for a random UUID).
 */
export type RouteHandler = (
  request: Request,
  context: RunnerContext,
  logger: Logger,
  requestId: () => string,
) => Promise<Response>;
