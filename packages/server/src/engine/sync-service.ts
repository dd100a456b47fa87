import { CONFIG_HASH_KEY, configHash, legacyConfigHash, mergeEnv, planSync, readStoredHash } from "@iac/sync";
import type { SyncContext, SyncErrorCode, SyncResult, SyncTarget } from "../types.js";
import { planComposeMounts } from "./compose-mounts.js";
import { dokployCall } from "./dokploy-call.js";
import { type ComposeNames, ensureCompose } from "./ensure-compose.js";
import { mergeManagedEnv } from "./managed-env.js";
import { readServiceFiles } from "./read-service-files.js";
import { readServiceSecrets } from "./read-service-secrets.js";
import { redact } from "./redact.js";
import { serviceEnv } from "./service-env.js";
import { SyncError, toSyncError } from "./sync-error.js";
import { syncMounts } from "./sync-mounts.js";
import { deploymentIds, waitForDeployment } from "./wait-for-deployment.js";

/** Inputs of {@link failedResult}. */
export interface FailedResultInput {
  service: string;
  env: string;
  commit: string;
  startedAt: number;
  now: number;
  error: { code: SyncErrorCode; message: string };
  hashBefore?: string | null | undefined;
  hashAfter?: string | null | undefined;
  composeId?: string | undefined;
  dokployDeploymentId?: string | undefined;
}

/** A `failed` result; the message must already be free of secrets. */
export function failedResult(input: FailedResultInput): SyncResult {
  return {
    service: input.service,
    env: input.env,
    commit: input.commit,
    status: "failed",
    error: { code: input.error.code, message: input.error.message },
    hashBefore: input.hashBefore ?? null,
    hashAfter: input.hashAfter ?? null,
    composeId: input.composeId,
    dokployDeploymentId: input.dokployDeploymentId,
    durationMs: Math.max(0, input.now - input.startedAt),
  };
}

/**
 * Syncs one service of one environment to exactly the content of one commit:
 *
 * 1. reads the compose file and every file of the service from the git object store at `commit`;
 * 2. builds its env (per-environment values, static env from `iac.config.yaml`) and reads its Vault secrets;
 * 3. computes the config hash over all of it;
 * 4. finds (or creates) the Dokploy compose, reads the stored hash with `compose.one` and skips when it matches
 *    (also the original runner's 12-hex hash);
 * 5. otherwise stores the compose as a raw compose with its referenced files as file mounts, merges the env (keys the
 *    runner does not manage survive, the stored hash is cleared), deploys, waits for the new deployment row to end,
 *    and records the new hash only after `done`.
 *
 * Never throws: every failure becomes a `failed` result with a classified code and a message without secrets.
 */
export async function syncService(context: SyncContext, target: SyncTarget): Promise<SyncResult> {
  const { dokploy, clock } = context;
  const { commit, env, environment, service, logger } = target;
  const startedAt = clock.now();
  let hashBefore: string | null = null;
  let hashAfter: string | null = null;
  let composeId: string | undefined;
  let dokployDeploymentId: string | undefined;
  let secrets: Record<string, string> = {};
  try {
    const content = await readServiceFiles(context.git, commit, service);
    const plainEnv = serviceEnv({
      env,
      environment,
      service,
      internalDomain: context.internalDomain,
      vaultAddress: context.vaultAddress,
    });
    secrets = await readServiceSecrets(context.vault, service, env, logger);
    hashAfter = configHash({
      compose: content.compose,
      files: Object.fromEntries(content.files),
      env: plainEnv,
      secrets,
      secretKey: context.hashKey,
    });
    const legacyHash = legacyConfigHash(content.compose, plainEnv);
    const mountPlan = planComposeMounts(content.compose, service.compose, [...content.files.keys()]);
    if (mountPlan.unresolved.length > 0) {
      logger.warn({ references: mountPlan.unresolved }, "compose references relative paths that are not service files");
    }
    const mountFiles = new Map(mountPlan.mounts.map((path) => [path, decodeText(path, content.files.get(path))]));

    const ensured = await ensureCompose(dokploy, composeNames(target));
    composeId = ensured.composeId;
    const id = composeId;
    const detail = await readCompose(context, id);
    hashBefore = readStoredHash(detail.env);
    const [plan] = planSync(
      [{ service: service.name, hash: hashAfter, legacyHash }],
      [{ service: service.name, hash: hashBefore, exists: !ensured.created }],
    );
    if (plan?.action === "skip") {
      if (detail.autoDeploy !== false) {
        await dokployCall("compose.update", () =>
          dokploy.POST("/compose.update", { body: { composeId: id, autoDeploy: false } }),
        );
      }
      if (plan.reason.code === "legacy_match") {
        // The original runner's hash covered only the compose and the plain env. Replacing it with the full hash
        // (and nothing else) keeps this skip, and lets a later change to a file or a secret redeploy the service.
        const upgraded = mergeEnv(
          detail.env ?? "",
          { [CONFIG_HASH_KEY]: hashAfter },
          { managedKeys: [CONFIG_HASH_KEY] },
        );
        await saveEnvironment(context, id, upgraded);
      }
      logger.info({ reason: plan.reason.code, hash: hashAfter }, "service up to date, skipped");
      return result("skipped");
    }

    logger.info({ reason: plan?.reason.code, hashBefore, hashAfter, composeId }, "deploying service");
    // Raw source: Dokploy deploys exactly this text and never pulls a branch at deploy time.
    await dokployCall("compose.update", () =>
      dokploy.POST("/compose.update", {
        body: { composeId: id, sourceType: "raw", composeFile: mountPlan.compose, autoDeploy: false },
      }),
    );
    const mountChanges = await syncMounts(dokploy, id, detail.mounts, mountFiles);
    logger.debug({ ...mountChanges }, "file mounts synced");
    const values = { ...plainEnv, ...secrets };
    await saveEnvironment(context, id, mergeManagedEnv(detail.env, values, null));

    const known = await deploymentIds(dokploy, id);
    // Not retried: a second call would queue a second deploy.
    await dokployCall("compose.deploy", () =>
      dokploy.POST("/compose.deploy", {
        body: {
          composeId: id,
          title: `iac-runner ${commit.slice(0, 12)}`,
          description: `${service.name} (${env}) ${hashAfter ?? ""}`,
        },
      }),
    );
    const outcome = await waitForDeployment({
      dokploy,
      composeId: id,
      known,
      clock,
      timeoutMs: context.deployTimeoutMs,
      intervalMs: context.pollIntervalMs,
      logger,
      onDeployment: (deploymentId) => {
        dokployDeploymentId = deploymentId;
        logger.info({ deploymentId }, "deployment started");
      },
    });
    if (outcome.status !== "done") {
      throw new SyncError(
        "deploy_failed",
        `[@iac/server] deployment ${outcome.deploymentId} ended "${outcome.status}"${
          outcome.errorMessage ? `: ${outcome.errorMessage.slice(0, 200)}` : ""
        }`,
      );
    }
    // Re-read: the env may have been edited by someone else while the deploy ran.
    const after = await readCompose(context, id);
    await saveEnvironment(context, id, mergeManagedEnv(after.env, values, hashAfter));
    logger.info({ hash: hashAfter, deploymentId: outcome.deploymentId }, "service deployed");
    return result(ensured.created ? "created" : "updated");
  } catch (error) {
    const failure = toSyncError(error);
    const message = redact(failure.message, Object.values(secrets));
    logger.error(
      { code: failure.code, error: message, composeId, deploymentId: dokployDeploymentId },
      "service sync failed",
    );
    return failedResult({
      service: service.name,
      env,
      commit,
      startedAt,
      now: clock.now(),
      error: { code: failure.code, message },
      hashBefore,
      hashAfter,
      composeId,
      dokployDeploymentId,
    });
  }

  function result(status: "created" | "updated" | "skipped"): SyncResult {
    return {
      service: service.name,
      env,
      commit,
      status,
      hashBefore,
      hashAfter,
      composeId,
      dokployDeploymentId,
      durationMs: Math.max(0, clock.now() - startedAt),
    };
  }
}

function composeNames({ env, environment, service }: SyncTarget): ComposeNames {
  const fill = (template: string): string => template.replaceAll("{env}", env).replaceAll("{service}", service.name);
  return {
    project: service.dokploy.project,
    environment: fill(service.dokploy.environment ?? environment.dokployEnvironment),
    compose: service.dokploy.compose,
  };
}

function readCompose(context: SyncContext, composeId: string) {
  return dokployCall("compose.one", () => context.dokploy.GET("/compose.one", { params: { query: { composeId } } }));
}

async function saveEnvironment(context: SyncContext, composeId: string, env: string): Promise<void> {
  await dokployCall("compose.saveEnvironment", () =>
    context.dokploy.POST("/compose.saveEnvironment", { body: { composeId, env } }),
  );
}

const UTF8 = new TextDecoder("utf-8", { fatal: true });

function decodeText(path: string, bytes: Uint8Array | undefined): string {
  try {
    return UTF8.decode(bytes ?? new Uint8Array());
  } catch {
    throw new SyncError(
      "config_invalid",
      `[@iac/server] cannot mount ${path}: expected UTF-8 text (Dokploy file mounts hold text), received binary content`,
    );
  }
}
