import type { DokployClient } from "@iac/sdk";
import { dokployCall } from "./dokploy-call.js";
import { SyncError } from "./sync-error.js";

/** Names of the Dokploy project, environment and compose of one service in one environment. */
export interface ComposeNames {
  project: string;
  environment: string;
  compose: string;
}

/** The compose found or created, and whether this call created it. */
export interface EnsuredCompose {
  composeId: string;
  created: boolean;
}

/**
 * Finds the compose named `names.compose` in environment `names.environment` of project `names.project`, creating
 * whatever is missing: `project.create` (which also creates a default `production` environment),
 * `environment.create` for other environments, and `compose.create` as a raw compose. `project.all` is used only to
 * find ids: its compose entries carry no env, so the stored hash is never read from it.
 *
 * @throws {SyncError} `dokploy_error` when a name matches more than one entry (the target would be a guess).
 */
export async function ensureCompose(dokploy: DokployClient, names: ComposeNames): Promise<EnsuredCompose> {
  const projects = await dokployCall("project.all", () => dokploy.GET("/project.all"));
  const project = single(projects, (entry) => entry.name === names.project, `project "${names.project}"`);

  let environmentId: string;
  let composes: ReadonlyArray<{ composeId: string; name: string }> = [];
  if (project === undefined) {
    const created = await dokployCall("project.create", () =>
      dokploy.POST("/project.create", { body: { name: names.project } }),
    );
    environmentId =
      created.environment.name === names.environment
        ? created.environment.environmentId
        : await createEnvironment(dokploy, created.project.projectId, names.environment);
  } else {
    const environment = single(
      project.environments,
      (entry) => entry.name === names.environment,
      `environment "${names.environment}" in project "${names.project}"`,
    );
    environmentId =
      environment?.environmentId ?? (await createEnvironment(dokploy, project.projectId, names.environment));
    composes = environment?.compose ?? [];
  }

  const existing = single(
    composes,
    (entry) => entry.name === names.compose,
    `compose "${names.compose}" in ${names.project}/${names.environment}`,
  );
  if (existing !== undefined) {
    return { composeId: existing.composeId, created: false };
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

function single<T>(list: readonly T[], match: (entry: T) => boolean, what: string): T | undefined {
  const found = list.filter(match);
  if (found.length > 1) {
    throw new SyncError(
      "dokploy_error",
      `[@iac/server] ambiguous Dokploy ${what}: expected at most one, received ${found.length}; rename the extra ones`,
    );
  }
  return found[0];
}
