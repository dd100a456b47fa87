import { createVerifier, type WebhookVerifier } from "@iac/sync";
import { createSyncEngine } from "./engine/create-sync-engine.js";
import { followSecretsFile } from "./follow-secrets-file.js";
import { mirrorFromSettings } from "./git/git-mirror.js";
import { createHealthMonitor } from "./health/create-health-monitor.js";
import { dokployCheck, gitCheck, vaultCheck } from "./health/dependency-checks.js";
import { parseBasePath, stripBasePath } from "./http/base-path.js";
import { HttpError } from "./http/http-error.js";
import { jsonPartsOf, standardResponse } from "./http/json-response.js";
import { isNodeRequest, requestPath } from "./http/node-request.js";
import { toErrorResponse } from "./http/to-error-response.js";
import { createLogger } from "./logging/create-logger.js";
import { deferChild } from "./logging/defer-child.js";
import { noopLogger } from "./logging/noop-logger.js";
import { createRequestTally } from "./logging/request-tally.js";
import { createRunnerMetrics } from "./metrics/create-runner-metrics.js";
import { startCatchUp } from "./plan/start-catch-up.js";
import { reconcilerFromSettings } from "./reconcile/reconciler-from-settings.js";
import { uncheckedReport } from "./reconcile/unchecked-report.js";
import { defaultReporters } from "./report/default-reporters.js";
import { type Reporting, startReporting } from "./report/start-reporting.js";
import { pullPlannerFromSettings } from "./review/pull-planner-from-settings.js";
import { handleCancel } from "./routes/handle-cancel.js";
import { handleDeploy } from "./routes/handle-deploy.js";
import { handleDeployment } from "./routes/handle-deployment.js";
import { handleDeployments } from "./routes/handle-deployments.js";
import { handleDrift } from "./routes/handle-drift.js";
import { handleHealth } from "./routes/handle-health.js";
import { handleMetrics } from "./routes/handle-metrics.js";
import { handleSync } from "./routes/handle-sync.js";
import { handleWebhook } from "./routes/handle-webhook.js";
import { createSettledDeliveries } from "./routes/settled-deliveries.js";
import type { RouteHandler, RunnerContext } from "./runner-context.js";
import { guardStore } from "./store/guard-store.js";
import { openStore } from "./store/open-store.js";
import { startPruning } from "./store/start-pruning.js";
import type { GitMirror, HealthCheck, LocalGitMirror, Logger, Runner, RunnerOptions, SyncEngine } from "./types.js";
import { version as packageVersion } from "./version.js";

/** The handlers of one endpoint, by method. */
type Route = Readonly<Record<string, RouteHandler>>;

const FIXED_ROUTES: ReadonlyMap<string, Route> = new Map([
  ["/health", { GET: handleHealth, HEAD: handleHealth }],
  ["/webhook", { POST: handleWebhook }],
  ["/deploy", { POST: handleDeploy }],
  ["/sync", { POST: handleSync }],
  ["/deployments", { GET: handleDeployments, HEAD: handleDeployments }],
  ["/metrics", { GET: handleMetrics, HEAD: handleMetrics }],
  ["/drift", { GET: handleDrift, HEAD: handleDrift }],
]);

const PATTERN_ROUTES: readonly { pattern: RegExp; route: Route }[] = [
  { pattern: /^\/deployments\/[^/]+\/cancel$/, route: { POST: handleCancel } },
  { pattern: /^\/deployments\/[^/]+$/, route: { GET: handleDeployment, HEAD: handleDeployment } },
];

function routeOf(path: string): Route | undefined {
  return FIXED_ROUTES.get(path) ?? PATTERN_ROUTES.find(({ pattern }) => pattern.test(path))?.route;
}

function defaultChecks(options: RunnerOptions, git: GitMirror): Record<string, HealthCheck> {
  const { settings } = options;
  const mirror = "probeRemote" in git ? (git as LocalGitMirror) : undefined;
  return {
    ...(mirror === undefined ? {} : { git: gitCheck(mirror) }),
    dokploy: dokployCheck(settings.dokploy, options.fetch),
    ...(settings.vault === undefined ? {} : { vault: vaultCheck(settings.vault, options.fetch) }),
  };
}

/** The injected logger, nothing for `false`, else JSON lines on stdout at the configured level. */
function loggerOf(options: RunnerOptions): Logger {
  if (options.logger === false) {
    return noopLogger;
  }
  return options.logger ?? createLogger({ level: options.settings.logLevel });
}

/**
 * Creates the runner: opens the job store (migrating its schema), starts the sync engine, the catch-up with the branch,
 * drift detection (with `IAC_RECONCILE_INTERVAL`) and the history pruning, and returns `fetch(request)` serving
 * `/health`, `/webhook`, `/deploy`, `/sync`, `/deployments`, `/drift` and `/metrics` (under `basePath` when given), JSON
 * in and out except the Prometheus text of `/metrics`. Errors are `{ "error", "code" }` with the right status and never carry a stack trace.
 *
 * @throws {SettingsError} for an invalid `basePath`, or a secrets file the settings name that cannot be read.
 * @example
 * const runner = await createRunner({ settings: defineSettings({ webhookSecret, git: { url }, dokploy: { url, apiKey } }) });
 * Bun.serve({ port: 8080, fetch: runner.fetch }); // or createNodeServer(runner) on Node
 */
export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const { settings } = options;
  const basePath = parseBasePath(options.basePath);
  const logger = loggerOf(options);
  const webhookSecrets =
    options.webhookSecrets ?? (await followSecretsFile(settings, logger.child({ component: "settings" })));
  const { clock } = options;
  const now = clock === undefined ? Date.now : () => clock.now();
  const git = options.git ?? mirrorFromSettings(settings, logger);
  // Like the store: the runner stops the mirror it created (its cat-file process), never one it was given.
  const ownedMirror = options.git === undefined ? (git as LocalGitMirror) : undefined;
  const ownsStore = options.store === undefined;
  const opened = options.store ?? (await openStore(settings));
  const store = guardStore(opened);
  const runnerId = globalThis.crypto.randomUUID();
  const health = createHealthMonitor({
    checks: options.healthChecks ?? defaultChecks(options, git),
    now,
    intervalMs: options.healthIntervalMs,
  });
  const metrics = createRunnerMetrics({ store, git, health, env: settings.deployEnv, now });
  // The secrets change rarely: the blank ones are left out, and their verifier made, once per list the source hands
  // over, not per request.
  let offered: readonly string[] | undefined;
  let usable: { secrets: readonly string[]; verifier: WebhookVerifier } | undefined;
  const usableOf = (listed: readonly string[]): NonNullable<typeof usable> => {
    if (listed !== offered) {
      offered = listed;
      const secrets = listed.filter((secret) => secret.trim() !== "");
      usable = secrets.length === 0 ? undefined : { secrets, verifier: createVerifier(secrets) };
    }
    if (usable === undefined) {
      // Never fail open: without a secret nothing can be verified, so nothing is accepted.
      throw new HttpError(503, "not_configured", "no webhook secret is configured");
    }
    return usable;
  };
  // At once while the source has the list at hand (most requests): no promise per delivery.
  const fromSecrets =
    <T>(pick: (found: NonNullable<typeof usable>) => T) =>
    (): T | Promise<T> => {
      const listed = webhookSecrets();
      return Array.isArray(listed)
        ? pick(usableOf(listed))
        : Promise.resolve(listed).then((later) => pick(usableOf(later)));
    };
  const ownsEngine = options.engine === undefined;
  // Started once the engine exists (a rollback reporter submits jobs to it); the engine wakes it as syncs end.
  let reporting: Reporting | undefined;
  const syncEngine: SyncEngine =
    options.engine ??
    createSyncEngine({
      git,
      store,
      runnerId,
      dokploy: settings.dokploy,
      vault: settings.vault,
      hashKey: settings.hashKey,
      logger: logger.child({ component: "engine" }),
      deployTimeoutMs: settings.deployTimeoutMs,
      internalDomain: settings.internalDomain,
      clock: options.clock,
      fetch: options.fetch,
      leaseMs: settings.leaseMs,
      retryLimit: settings.retryLimit,
      concurrency: settings.concurrency,
      onResult: (result, attempt) => {
        metrics.syncFinished(result, attempt);
        reporting?.wake();
      },
      ...options.timing,
    });
  // A stored job is reported at once (its pending commit status), not at the report loop's next look.
  const engine: SyncEngine = {
    get: (id) => syncEngine.get(id),
    list: (query) => syncEngine.list(query),
    cancel: (id, force) => syncEngine.cancel(id, force),
    wait: (id, timeoutMs) => syncEngine.wait(id, timeoutMs),
    idle: () => syncEngine.idle(),
    close: () => syncEngine.close(),
    async submit(job) {
      const outcome = await syncEngine.submit(job);
      if (outcome.status === "created") {
        reporting?.wake();
      }
      return outcome;
    },
  };
  const reconciler = reconcilerFromSettings(options, { git, store, engine, logger, now, holder: runnerId, metrics });
  const pullPlanner = pullPlannerFromSettings(options, git, logger);
  const driftOff = uncheckedReport(settings.deployEnv, "drift detection is off: set IAC_RECONCILE_INTERVAL");
  const context: RunnerContext = {
    settings,
    git,
    engine,
    logger,
    now,
    secrets: fromSecrets((found) => found.secrets),
    verifier: fromSecrets((found) => found.verifier),
    store,
    deliveries: createSettledDeliveries(),
    webhookDeadlineMs: options.webhookDeadlineMs ?? 8_000,
    health,
    metrics,
    version: options.version ?? packageVersion,
    startedAt: now(),
    drift: async () => (reconciler === undefined ? driftOff : reconciler.report()),
    pullPlanner,
  };
  reporting = startReporting({
    store,
    reporters: [
      ...defaultReporters({
        settings,
        store,
        engine,
        logger: logger.child({ component: "report" }),
        fetch: options.fetch,
        now,
        variables: options.variables,
      }),
      ...(options.reporters ?? []),
    ],
    holder: runnerId,
    logger: logger.child({ component: "report" }),
    // Leases and retry times are about live processes: the wall clock, as in the engine, never a test's clock.
    now: Date.now,
    onOutcome: metrics.reportDelivered,
  });
  const stopPruning = startPruning(store, settings.historyDays, now, logger.child({ component: "store" }));
  const catchUp =
    options.catchUp === false
      ? undefined
      : startCatchUp({
          deps: { git, store, engine, branch: settings.gitBranch, now, metrics },
          env: settings.deployEnv,
          holder: runnerId,
          intervalMs: settings.pollIntervalMs,
          logger: logger.child({ component: "catch-up" }),
        });
  let closing = false;
  // Answers are counted and summarised: neither a flood of refused requests nor a stream of pushes to other branches
  // writes a line each (what a request changes is logged by its handler).
  const tally = createRequestTally(logger);

  const fetch = async (request: Request): Promise<Response> => {
    const started = now();
    let requestId: string | undefined;
    const idOf = (): string => {
      requestId ??= globalThis.crypto.randomUUID();
      return requestId;
    };
    const path = requestPath(request);
    const requestLogger = deferChild(logger, () => ({ requestId: idOf(), method: request.method, path }));
    let response: Response;
    try {
      if (closing) {
        throw new HttpError(503, "shutting_down", "the runner is shutting down");
      }
      const below = stripBasePath(basePath, path);
      const route = below === undefined ? undefined : routeOf(below);
      if (route === undefined) {
        throw new HttpError(404, "not_found", `no endpoint at ${path}`);
      }
      const handler = route[request.method];
      if (handler === undefined) {
        const allow = Object.keys(route).join(", ");
        throw new HttpError(405, "method_not_allowed", `method ${request.method} not allowed: expected ${allow}`, {
          headers: { allow },
        });
      }
      response = await handler(request, context, requestLogger, idOf);
    } catch (error) {
      response = toErrorResponse(error, requestLogger);
    }
    // Error answers carry codes of fixed vocabularies (HttpError, PLAN_ERRORS), so the tally stays small.
    tally.count(response.status, jsonPartsOf(response)?.code);
    if (logger.isLevelEnabled?.("debug") !== false) {
      logger.debug(
        { requestId: idOf(), method: request.method, path, status: response.status, durationMs: now() - started },
        "request",
      );
    }
    const answer = request.method === "HEAD" ? new Response(null, response) : response;
    // The Node listener writes the runner's JSON answers from their parts; any other server gets a real Response.
    return isNodeRequest(request) ? answer : standardResponse(answer);
  };

  return {
    fetch,
    engine,
    async close() {
      closing = true;
      tally.flush();
      stopPruning();
      await catchUp?.stop();
      await reporting?.stop();
      await Promise.all([catchUp?.stop(), reconciler?.stop(), pullPlanner?.close()]);
      if (ownsEngine) {
        await engine.close();
      }
      if (ownsStore) {
        await opened.close();
      }
      await ownedMirror?.close();
    },
  };
}
