import type { DokployClient } from "@iac/sdk";
import { dokployCall } from "./dokploy-call.js";
import { SyncError } from "./sync-error.js";

/** Names of the Dokploy project, environment and compose of one service in one environment. */
export interface ComposeNames {
  project: string;
  environment: string;
  compose: string;
}

/** How far the names lead in Dokploy: to the compose, or to the first level that does not exist. */
export type FoundCompose =
  | { status: "found"; projectId: string; environmentId: string; composeId: string }
  | { status: "missing_project" }
  | { status: "missing_environment"; projectId: string }
  | { status: "missing_compose"; projectId: string; environmentId: string };

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

/**
 * Looks up the compose named `names.compose` in environment `names.environment` of project `names.project` with one
 * read (`project.all`), changing nothing: the one lookup behind `ensureCompose` (which creates what is missing) and
 * `iac-runner plan` (which must not). `project.all` carries ids only, never a compose's env.
 *
 * @throws {SyncError} `dokploy_error` when a name matches more than one entry (the target would be a guess); the
 * classified error of the call when Dokploy does not answer with the list.
 */
export async function findCompose(dokploy: DokployClient, names: ComposeNames): Promise<FoundCompose> {
  const projects = await dokployCall("project.all", () => dokploy.GET("/project.all"));
  const project = single(projects, (entry) => entry.name === names.project, `project "${names.project}"`);
  if (project === undefined) {
    return { status: "missing_project" };
  }
  const { projectId } = project;
  const environment = single(
    project.environments,
    (entry) => entry.name === names.environment,
    `environment "${names.environment}" in project "${names.project}"`,
  );
  if (environment === undefined) {
    return { status: "missing_environment", projectId };
  }
  const { environmentId } = environment;
  const compose = single(
    environment.compose ?? [],
    (entry) => entry.name === names.compose,
    `compose "${names.compose}" in ${names.project}/${names.environment}`,
  );
  return compose === undefined
    ? { status: "missing_compose", projectId, environmentId }
    : { status: "found", projectId, environmentId, composeId: compose.composeId };
}
