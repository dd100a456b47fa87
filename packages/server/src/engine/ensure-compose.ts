import type { DokployClient } from "@iac/sdk";
import { dokployCall } from "./dokploy-call.js";
import { type ComposeNames, findCompose } from "./find-compose.js";
import { createProcessLock, type KeyLock } from "./key-lock.js";

/** The compose found or created, and whether this call created it. */
export interface EnsuredCompose {
  composeId: string;
  created: boolean;
}

/** Creating what is missing of one project, one call at a time in this process, when no lock is given. */
const processLock = createProcessLock();

/**
 * Finds the compose named `names.compose` in environment `names.environment` of project `names.project`
 * (`findCompose`), creating whatever is missing: `project.create` (which also creates a default `production`
 * environment), `environment.create` for other environments, and `compose.create` as a raw compose.
 *
 * What is missing is created under `lock` (the engine's lock across runners sharing the store, else one within the
 * process), keyed by the project name, and looked up again first: two services of a project that does not exist yet,
 * synced at the same time, would otherwise both create it, and Dokploy does not refuse a second project of the same
 * name.
 *
 * @throws {SyncError} `dokploy_error` when a name matches more than one entry (the target would be a guess);
 * `cancelled` when `signal` aborts while waiting for the lock.
 */
export async function ensureCompose(
  dokploy: DokployClient,
  names: ComposeNames,
  lock: KeyLock = processLock,
  signal?: AbortSignal,
): Promise<EnsuredCompose> {
  const found = await findCompose(dokploy, names);
  if (found.status === "found") {
    return { composeId: found.composeId, created: false };
  }
  return lock(
    `dokploy-project:${names.project}`,
    async () => {
      // Another sync, here or on another runner, may have created it meanwhile.
      const again = await findCompose(dokploy, names);
      return again.status === "found" ? { composeId: again.composeId, created: false } : create(dokploy, names, again);
    },
    signal,
  );
}

async function create(
  dokploy: DokployClient,
  names: ComposeNames,
  found: Exclude<Awaited<ReturnType<typeof findCompose>>, { status: "found" }>,
): Promise<EnsuredCompose> {
  let environmentId: string;
  if (found.status === "missing_project") {
    const created = await dokployCall("project.create", () =>
      dokploy.POST("/project.create", { body: { name: names.project } }),
    );
    environmentId =
      created.environment.name === names.environment
        ? created.environment.environmentId
        : await createEnvironment(dokploy, created.project.projectId, names.environment);
  } else if (found.status === "missing_environment") {
    environmentId = await createEnvironment(dokploy, found.projectId, names.environment);
  } else {
    environmentId = found.environmentId;
  }
  const compose = await dokployCall("compose.create", () =>
    dokploy.POST("/compose.create", {
      body: { name: names.compose, environmentId, composeType: "docker-compose", sourceType: "raw" },
    }),
  );
  return { composeId: compose.composeId, created: true };
}

async function createEnvironment(dokploy: DokployClient, projectId: string, name: string): Promise<string> {
  const environment = await dokployCall("environment.create", () =>
    dokploy.POST("/environment.create", { body: { name, projectId } }),
  );
  return environment.environmentId;
}
