import { createSyncEngine } from "./engine/create-sync-engine.js";
import { mirrorFromSettings } from "./git/git-mirror.js";
import { createHealthMonitor } from "./health/create-health-monitor.js";
import { dokployCheck, vaultCheck } from "./health/dependency-checks.js";
import { HttpError } from "./http/http-error.js";
import { toErrorResponse } from "./http/to-error-response.js";
import { noopLogger } from "./logging/noop-logger.js";
import { createMemoryReplayStore } from "./replay-store.js";
import { handleDeploy } from "./routes/handle-deploy.js";
import { handleDeployment } from "./routes/handle-deployment.js";
import { handleHealth } from "./routes/handle-health.js";
import { handleSync } from "./routes/handle-sync.js";
import { handleWebhook } from "./routes/handle-webhook.js";
import type { RouteHandler, RunnerContext } from "./runner-context.js";
import { webhookSecretsOf } from "./settings.js";
import type { GitMirror, HealthCheck, LocalGitMirror, Runner, RunnerOptions, SyncEngine } from "./types.js";
import { version as packageVersion } from "./version.js";

interface Route {
  matches: (path: string) => boolean;
  methods: Readonly<Record<string, RouteHandler>>;
}

const ROUTES: readonly Route[] = [
  { matches: (path) => path === "/health", methods: { GET: handleHealth, HEAD: handleHealth } },
  { matches: (path) => path === "/webhook", methods: { POST: handleWebhook } },
  { matches: (path) => path === "/deploy", methods: { POST: handleDeploy } },
  { matches: (path) => path === "/sync", methods: { POST: handleSync } },
  {
    matches: (path) => path.startsWith("/deployments/") && path.length > "/deployments/".length,
    methods: { GET: handleDeployment, HEAD: handleDeployment },
  },
];

function defaultChecks(options: RunnerOptions, git: GitMirror): Record<string, HealthCheck> {
  const { settings } = options;
  const mirror = "probeRemote" in git ? (git as LocalGitMirror) : undefined;
  return {
    ...(mirror === undefined ? {} : { git: () => mirror.probeRemote() }),
    dokploy: dokployCheck(settings.dokploy, options.fetch),
    ...(settings.vault === undefined ? {} : { vault: vaultCheck(settings.vault, options.fetch) }),
  };
}

/**
 * Creates the runner: `fetch(request)` serves `/health`, `/webhook`, `/deploy`, `/sync` and `/deployments/<id>` with
 * JSON in and out. Errors are `{ "error", "code" }` with the right status and never carry a stack trace.
 *
 * @example
 * const runner = createRunner({ settings: loadSettings(process.env) });
 * Bun.serve({ port: 8080, fetch: runner.fetch }); // or createNodeServer(runner) on Node
 */
export function createRunner(options: RunnerOptions): Runner {
  const { settings } = options;
  const logger = options.logger ?? noopLogger;
  const { clock } = options;
  const now = clock === undefined ? Date.now : () => clock.now();
  const git = options.git ?? mirrorFromSettings(settings, logger);
  const ownsEngine = options.engine === undefined;
  const engine: SyncEngine =
    options.engine ??
    createSyncEngine({
      git,
      dokploy: settings.dokploy,
      vault: settings.vault,
      hashKey: settings.hashKey,
      logger: logger.child({ component: "engine" }),
      deployTimeoutMs: settings.deployTimeoutMs,
      internalDomain: settings.internalDomain,
      clock: options.clock,
      fetch: options.fetch,
    });
  const webhookSecrets = options.webhookSecrets ?? (() => webhookSecretsOf(settings));
  const context: RunnerContext = {
    settings,
    git,
    engine,
    logger,
    now,
    secrets: async () => {
      const secrets = (await webhookSecrets()).filter((secret) => secret.trim() !== "");
      if (secrets.length === 0) {
        // Never fail open: without a secret nothing can be verified, so nothing is accepted.
        throw new HttpError(503, "not_configured", "no webhook secret is configured");
      }
      return secrets;
    },
    nonces: options.nonces ?? createMemoryReplayStore({ now }),
    deliveries: options.deliveries ?? createMemoryReplayStore({ now }),
    webhookDeadlineMs: options.webhookDeadlineMs ?? 8_000,
    health: createHealthMonitor({
      checks: options.healthChecks ?? defaultChecks(options, git),
      now,
      intervalMs: options.healthIntervalMs,
    }),
    version: options.version ?? packageVersion,
    startedAt: now(),
  };
  let closing = false;

  const fetch = async (request: Request): Promise<Response> => {
    const started = now();
    const requestId = globalThis.crypto.randomUUID();
    const path = new URL(request.url).pathname;
    const requestLogger = logger.child({ requestId, method: request.method, path });
    let response: Response;
    try {
      if (closing) {
        throw new HttpError(503, "shutting_down", "the runner is shutting down");
      }
      const route = ROUTES.find((candidate) => candidate.matches(path));
      if (route === undefined) {
        throw new HttpError(404, "not_found", `no endpoint at ${path}`);
      }
      const handler = route.methods[request.method];
      if (handler === undefined) {
        const allow = Object.keys(route.methods).join(", ");
        throw new HttpError(405, "method_not_allowed", `method ${request.method} not allowed: expected ${allow}`, {
          headers: { allow },
        });
      }
      response = await handler(request, context, requestLogger, requestId);
    } catch (error) {
      response = toErrorResponse(error, requestLogger);
    }
    requestLogger.info({ status: response.status, durationMs: now() - started }, "request");
    return request.method === "HEAD" ? new Response(null, response) : response;
  };

  return {
    fetch,
    async close() {
      closing = true;
      if (ownsEngine) {
        await engine.close();
      }
    },
  };
}
