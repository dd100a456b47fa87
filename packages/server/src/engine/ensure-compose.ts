import type { DokployClient } from "@iac/sdk";
import { dokployCall } from "./dokploy-call.js";
import { type ComposeNames, findCompose } from "./find-compose.js";

/** The compose found or created, and whether this call created it. */
export interface EnsuredCompose {
  composeId: string;
  created: boolean;
}

/** Lookups-and-creates in flight, per Dokploy client and project name. */
const inFlight = new WeakMap<DokployClient, Map<string, Promise<unknown>>>();

/**
 * Finds the compose named `names.compose` in environment `names.environment` of project `names.project`
 * (`findCompose`), creating whatever is missing: `project.create` (which also creates a default `production`
 * environment), `environment.create` for other environments, and `compose.create` as a raw compose.
 *
 * Calls for one project run one at a time: two services of a project that does not exist yet, synced at the same
 * time, would otherwise both create it, and Dokploy does not refuse a second project of the same name.
 *
 * @throws {SyncError} `dokploy_error` when a name matches more than one entry (the target would be a guess).
 */
export function ensureCompose(dokploy: DokployClient, names: ComposeNames): Promise<EnsuredCompose> {
  const projects = inFlight.get(dokploy) ?? new Map<string, Promise<unknown>>();
  inFlight.set(dokploy, projects);
  const previous = projects.get(names.project) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => findOrCreate(dokploy, names));
  projects.set(names.project, current);
  void current
    .finally(() => {
      if (projects.get(names.project) === current) {
        projects.delete(names.project);
      }
    })
    .catch(() => undefined);
  return current;
}

async function findOrCreate(dokploy: DokployClient, names: ComposeNames): Promise<EnsuredCompose> {
  const found = await findCompose(dokploy, names);
  if (found.status === "found") {
    return { composeId: found.composeId, created: false };
  }
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
