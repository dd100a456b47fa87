import { CONFIG_HASH_KEY, mergeEnv, planSync, readStoredHash } from "@iac/sync";
import type { DeployMarker, SyncContext, SyncResult, SyncTarget } from "../types.js";
import { cancelledResult } from "./cancelled-result.js";
import { planComposeMounts } from "./compose-mounts.js";
import { composeNames } from "./compose-names.js";
import { decodeMountText } from "./decode-mount-text.js";
import { deployTitle } from "./deploy-title.js";
import { dokployCall } from "./dokploy-call.js";
import { ensureCommit } from "./ensure-commit.js";
import { ensureCompose } from "./ensure-compose.js";
import { failedResult } from "./failed-result.js";
import { guardWrites } from "./guard-writes.js";
import { mergeManagedEnv } from "./managed-env.js";
import { probeService } from "./probe-service.js";
import { probeUrl } from "./probe-url.js";
import { readServiceInputs } from "./read-service-inputs.js";
import { recordHash } from "./record-hash.js";
import { requestDeploy } from "./request-deploy.js";
import { safeErrorMessage } from "./safe-error-message.js";
import { settleDeploy } from "./settle-deploy.js";
import { SyncError, toSyncError } from "./sync-error.js";
import { syncMounts } from "./sync-mounts.js";
import { throwIfCancelled } from "./throw-if-cancelled.js";
import { type DeploymentOutcome, deploymentIds, waitForDeployment } from "./wait-for-deployment.js";

/**
 * Syncs one service of one environment to exactly the content of one commit:
 *
 * 1. reads the compose file and every file of the service from the git object store at `commit`, builds its env and
 *    reads its Vault secrets, and computes the config hash over all of it;
 * 2. finds (or creates) the Dokploy compose and reads the stored hash with `compose.one`;
 * 3. settles what an earlier attempt left (`target.marker`): its deploy finished, is still running, or never ran;
 * 4. skips when the stored hash matches (also the original runner's 12-hex hash);
 * 5. otherwise, never leaving new content under the old hash: removes the stored hash (nothing else), stores the
 *    compose as a raw compose, syncs its file mounts, saves the env values, hands the deploy marker to
 *    `target.onDeploy`, calls `compose.deploy` (settling a lost answer by reading Dokploy), waits for the new
 *    deployment row and, after `done` and the service's `probe` answering 2xx (`probe_failed` otherwise), records the
 *    hash when the env still holds the values deployed.
 *
 * When `target.signal` aborts, no further write starts, waits end at once, Dokploy's queued work of a requested deploy
 * is dropped (and with `force` the running build killed), and the result is `cancelled`; no hash is recorded after.
 *
 * Never throws: every failure becomes a `failed` result with a classified code and a message without secrets.
 */
export async function syncService(context: SyncContext, target: SyncTarget): Promise<SyncResult> {
  const { clock, pollIntervalMs: intervalMs } = context;
  const { commit, env, service, logger, signal } = target;
  const marker = target.marker ?? null;
  const dokploy = guardWrites(context.dokploy, signal);
  const startedAt = clock.now();
  let hashBefore: string | null = null;
  let hashAfter: string | null = null;
  let composeId: string | undefined;
  let dokployDeploymentId: string | undefined;
  let deployRequested = false;
  let deployEnded = false;
  let secrets: string[] = [];

  const onDeployment = (deploymentId: string): void => {
    if (dokployDeploymentId !== deploymentId) {
      dokployDeploymentId = deploymentId;
      logger.info({ deploymentId }, "deployment started");
    }
  };
  const whileWaiting = target.whileWaiting ?? ((wait) => wait());
  const wait = (id: string, known: ReadonlySet<string>): Promise<DeploymentOutcome> =>
    whileWaiting(() =>
      waitForDeployment({
        dokploy,
        composeId: id,
        known,
        clock,
        timeoutMs: context.deployTimeoutMs,
        intervalMs,
        logger,
        onDeployment,
        signal,
      }),
    );

  try {
    throwIfCancelled(signal, "before it started");
    await ensureCommit(context.git, commit);
    const content = await readServiceInputs(context, target, logger);
    const { env: plainEnv, secrets: secretValues, hash, legacyHash } = content;
    secrets = Object.values(secretValues);
    hashAfter = hash;
    const mountPlan = planComposeMounts(content.compose, service.compose, [...content.files.keys()]);
    if (mountPlan.unresolved.length > 0) {
      logger.warn({ references: mountPlan.unresolved }, "compose references relative paths that are not service files");
    }
    const mountFiles = new Map(mountPlan.mounts.map((path) => [path, decodeMountText(path, content.files.get(path))]));
    const values = { ...plainEnv, ...secretValues };

    const ensured = await ensureCompose(dokploy, composeNames(target), target.lock, signal);
    const id = ensured.composeId;
    composeId = id;
    const detail = await readCompose(context, id);
    hashBefore = readStoredHash(detail.env);
    throwIfCancelled(signal, "before it changed anything in Dokploy");
    // An earlier attempt of this sync that created the compose reports `created`, whichever attempt finishes.
    const created = ensured.created || (marker?.composeId === id && marker.created);
    const finish = async (outcome: DeploymentOutcome): Promise<SyncResult> => {
      if (outcome.status !== "done") {
        throw new SyncError(
          "deploy_failed",
          `[@iac/server] Dokploy deployment ${outcome.deploymentId}: expected status "done", received "${outcome.status}"`,
          { detail: outcome.errorMessage ?? undefined },
        );
      }
      deployEnded = true;
      if (service.probe !== undefined) {
        // Before the hash: a service that never answers must deploy again on the next sync, even at this content.
        const { probe } = service;
        await whileWaiting(() =>
          probeService({
            fetch: context.fetch,
            url: probeUrl(probe.url, env, target.environment, service),
            timeoutMs: probe.timeoutSeconds * 1000,
            clock,
            logger,
            signal,
          }),
        );
      }
      const recorded = await recordHash({ dokploy, composeId: id, values, hash, logger });
      logger.info({ hash, recorded, deploymentId: outcome.deploymentId }, "service deployed");
      return result(created ? "created" : "updated");
    };

    if (marker !== null && marker.hash === hash) {
      if (hashBefore === hash) {
        logger.info({ hash }, "an earlier attempt deployed this content and recorded its hash");
        return result(marker.created ? "created" : "updated");
      }
      // The earlier attempt removed the stored hash before writing; a hash stored since means another sync ran, and a
      // new deployment row may be that sync's: the marker is stale then.
      if (marker.composeId === id && hashBefore === null) {
        const known = new Set(marker.knownDeployments);
        const row = await settleDeploy({
          dokploy,
          composeId: id,
          known,
          clock,
          windowMs: 0,
          intervalMs,
          logger,
          signal,
        });
        if (row !== undefined) {
          logger.info({ deploymentId: row.deploymentId }, "settling the deploy an earlier attempt requested");
          return await finish(await wait(id, known));
        }
        logger.info({ hash }, "the deploy an earlier attempt requested never ran; deploying");
      }
    }

    const [plan] = planSync(
      [{ service: service.name, hash, legacyHash }],
      [{ service: service.name, hash: hashBefore, exists: !ensured.created }],
    );
    if (plan?.action === "skip" && target.redeploy !== true) {
      if (detail.autoDeploy !== false) {
        await dokployCall("compose.update", () =>
          dokploy.POST("/compose.update", { body: { composeId: id, autoDeploy: false } }),
        );
      }
      if (plan.reason.code === "legacy_match") {
        // The original runner's hash covered only the compose and the plain env. Replacing it with the full hash
        // (and nothing else) keeps this skip, and lets a later change to a file or a secret redeploy the service.
        const upgraded = mergeEnv(detail.env ?? "", { [CONFIG_HASH_KEY]: hash }, { managedKeys: [CONFIG_HASH_KEY] });
        await saveEnvironment(dokploy, id, upgraded);
      }
      logger.info({ reason: plan.reason.code, hash }, "service up to date, skipped");
      return result("skipped");
    }

    logger.info({ reason: plan?.reason.code, hashBefore, hashAfter: hash, composeId }, "deploying service");
    if (hashBefore !== null) {
      // First the stored hash goes, and nothing else: from here until the new hash is recorded Dokploy may hold a mix
      // of old and new content, which must never pass for the old content (a retry of the old commit would skip).
      await saveEnvironment(dokploy, id, mergeEnv(detail.env ?? "", {}, { managedKeys: [CONFIG_HASH_KEY] }));
    }
    // Raw source: Dokploy deploys exactly this text and never pulls a branch at deploy time.
    await dokployCall("compose.update", () =>
      dokploy.POST("/compose.update", {
        body: { composeId: id, sourceType: "raw", composeFile: mountPlan.compose, autoDeploy: false },
      }),
    );
    const mountChanges = await syncMounts(dokploy, id, detail.mounts, mountFiles);
    logger.debug({ ...mountChanges }, "file mounts synced");
    await saveEnvironment(dokploy, id, mergeManagedEnv(detail.env, values, null));

    const known = await deploymentIds(dokploy, id);
    throwIfCancelled(signal, "before the deploy was requested");
    const next: DeployMarker = { composeId: id, hash, knownDeployments: [...known], created };
    deployRequested = true;
    await target.onDeploy?.(next).catch((error: unknown) => {
      throw new SyncError(
        "store_unavailable",
        "[@iac/server] deploy marker: expected the job store to save it, received an error; compose.deploy was not called",
        { cause: error },
      );
    });
    await requestDeploy({
      dokploy,
      composeId: id,
      title: deployTitle(commit),
      description: `${service.name} (${env}) ${hash}`,
      known,
      clock,
      intervalMs,
      timeoutMs: context.deployTimeoutMs,
      logger,
      signal,
    });
    return await finish(await wait(id, known));
  } catch (error) {
    const failure = toSyncError(error);
    if (failure.code === "cancelled") {
      return await cancelledResult({
        dokploy: context.dokploy,
        failure,
        signal,
        requestedOn: deployRequested ? composeId : marker?.composeId,
        deployEnded,
        secrets,
        logger,
        result: fields(),
      });
    }
    const message = safeErrorMessage(failure, secrets);
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

  function fields(): Omit<SyncResult, "status" | "error" | "cancelActions"> {
    return {
      service: service.name,
      env,
      commit,
      hashBefore,
      hashAfter,
      composeId,
      dokployDeploymentId,
      durationMs: Math.max(0, clock.now() - startedAt),
    };
  }

  function result(status: "created" | "updated" | "skipped"): SyncResult {
    return { ...fields(), status };
  }
}

function readCompose(context: SyncContext, composeId: string) {
  return dokployCall("compose.one", () => context.dokploy.GET("/compose.one", { params: { query: { composeId } } }));
}

async function saveEnvironment(dokploy: SyncContext["dokploy"], composeId: string, env: string): Promise<void> {
  await dokployCall("compose.saveEnvironment", () =>
    dokploy.POST("/compose.saveEnvironment", { body: { composeId, env } }),
  );
}
