import { parseArgs } from "node:util";
import { createRunner } from "../create-runner.js";
import { webhookSecretsFrom } from "../follow-secrets-file.js";
import { mirrorFromSettings } from "../git/git-mirror.js";
import { createLogger } from "../logging/create-logger.js";
import { noopLogger } from "../logging/noop-logger.js";
import { createNodeServer } from "../node-server.js";
import { plainMessage } from "../plain-message.js";
import { SettingsError } from "../settings-error.js";
import { createSettingsSource } from "../settings-source.js";
import type { Logger } from "../types.js";
import { type CliIo, UsageError } from "./cli-io.js";
import { SERVE_USAGE } from "./usage.js";

function parsePort(value: string): number {
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port > 65_535) {
    throw new UsageError(`--port must be an integer from 0 to 65535, received ${JSON.stringify(value)}`, SERVE_USAGE);
  }
  return port;
}

/** `iac-runner serve`: runs the server until the signal aborts. Returns the exit code. */
export async function serveCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      host: { type: "string" },
      port: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(SERVE_USAGE);
    return 0;
  }
  const port = values.port === undefined ? undefined : parsePort(values.port);
  // The logger's level comes from the settings, so reloads of the secrets file log through it once it exists.
  let sink: Logger = noopLogger;
  const reloadLogger: Logger = {
    debug: (obj, msg) => sink.debug(obj, msg),
    info: (obj, msg) => sink.info(obj, msg),
    warn: (obj, msg) => sink.warn(obj, msg),
    error: (obj, msg) => sink.error(obj, msg),
    child: (bindings) => sink.child(bindings),
  };
  let source: Awaited<ReturnType<typeof createSettingsSource>>;
  try {
    source = await createSettingsSource(io.env, { logger: reloadLogger });
  } catch (error) {
    if (error instanceof SettingsError) {
      // Every problem at once, one per line, so a first start needs one try.
      io.stderr(`iac-runner: ${plainMessage(error)}\n`);
      return 1;
    }
    throw error;
  }
  const settings = await source.load();
  const logger = createLogger({ level: settings.logLevel });
  sink = logger;
  if (settings.hashKey === settings.webhookSecret) {
    // Secret values enter config hashes through an HMAC with this key: without a key of its own, a routine rotation
    // of the webhook secret would change every such hash and silently redeploy those services.
    logger.warn(
      {
        hint: "set IAC_HASH_KEY to its own random value (openssl rand -hex 32) beside WEBHOOK_SECRET; that changes the same hashes once, at a time you choose, and never again on a rotation",
      },
      "IAC_HASH_KEY is not set (or equals WEBHOOK_SECRET): rotating WEBHOOK_SECRET changes the config hash of every service with Vault secrets, so each redeploys once",
    );
  }
  const git = mirrorFromSettings(settings, logger);
  let runner: Awaited<ReturnType<typeof createRunner>>;
  try {
    runner = await createRunner({
      settings,
      git,
      logger,
      // serve's own source: it also picks up the default secrets file when a sidecar renders it after start-up.
      webhookSecrets: webhookSecretsFrom(source),
    });
  } catch (error) {
    // The store could not be opened (a database that does not answer, a data folder another runner holds).
    logger.error({ err: error }, "could not start");
    io.stderr(`iac-runner: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const node = createNodeServer(runner, {
    maxBodyBytes: Math.max(settings.webhookMaxBodyBytes, settings.maxBodyBytes),
    bodyBudgetBytes: settings.bodyBudgetBytes,
    headersTimeoutMs: settings.headersTimeoutMs,
    requestTimeoutMs: settings.requestTimeoutMs,
    keepAliveTimeoutMs: settings.keepAliveTimeoutMs,
    maxConnections: settings.maxConnections,
    logger,
  });
  const address = await node.listen(port ?? settings.port, values.host ?? settings.host);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  logger.info(
    {
      url: `http://${host}:${address.port}`,
      branch: settings.gitBranch,
      env: settings.deployEnv,
      secretsFile: source.secretsFile,
    },
    "listening",
  );
  // Warm the mirror so the first webhook does not pay for the clone; failures only log (health reports them).
  git.fetch().then(
    () => logger.info({}, "repository mirror ready"),
    (error: unknown) => logger.warn({ err: error }, "initial git fetch failed"),
  );
  await new Promise<void>((resolve) => {
    if (io.signal.aborted) {
      resolve();
    }
    io.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  logger.info({}, "shutting down");
  await node.close();
  logger.info({}, "stopped");
  return 0;
}
