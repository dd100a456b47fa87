import type { DokployComposeRow, DokployEnvironmentRow, DokployState } from "../types.js";
import { notFound } from "./procedure.js";

const NO_DATABASES = { postgres: [], mysql: [], mariadb: [], mongo: [], redis: [], libsql: [] };

/** Composes of an environment, oldest first. */
export function composesOf(state: DokployState, environmentId: string): DokployComposeRow[] {
  return [...state.composes.values()].filter((compose) => compose.environmentId === environmentId);
}

/** Environments of a project, oldest first (`environment.byProjectId` order). */
export function environmentsOf(state: DokployState, projectId: string): DokployEnvironmentRow[] {
  return [...state.environments.values()]
    .filter((environment) => environment.projectId === projectId)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** An environment as `project.all` lists it: ids, names and statuses only. */
export function environmentSummary(state: DokployState, environment: DokployEnvironmentRow): object {
  return {
    environmentId: environment.environmentId,
    name: environment.name,
    isDefault: environment.isDefault,
    applications: [],
    compose: composesOf(state, environment.environmentId).map(({ composeId, name, composeStatus }) => ({
      composeId,
      name,
      composeStatus,
    })),
    ...NO_DATABASES,
  };
}

/** An environment with service summaries, as `environment.one`, `environment.byProjectId` and `project.one` return it. */
export function environmentDetail(state: DokployState, environment: DokployEnvironmentRow): object {
  return {
    ...environment,
    applications: [],
    compose: composesOf(state, environment.environmentId).map(
      ({ composeId, name, appName, description, createdAt, serverId, composeStatus }) => ({
        composeId,
        name,
        appName,
        description,
        createdAt,
        serverId,
        composeStatus,
      }),
    ),
    ...NO_DATABASES,
  };
}

/** `compose.one`: the row with its relations. */
export function composeDetail(state: DokployState, compose: DokployComposeRow): object {
  const environment = findEnvironment(state, compose.environmentId);
  const belongs = (item: { composeId: string | null }): boolean => item.composeId === compose.composeId;
  return {
    ...compose,
    environment: { ...environment, project: state.projects.get(environment.projectId) },
    deployments: [...state.deployments.values()].filter(belongs),
    mounts: [...state.mounts.values()].filter(belongs),
    domains: [...state.domains.values()].filter(belongs),
    github: null,
    gitlab: null,
    bitbucket: null,
    gitea: null,
    server: null,
    backups: [],
    hasGitProviderAccess: true,
    unauthorizedProvider: null,
  };
}

/** `findComposeById`: the row or `404 Compose not found`. */
export function findCompose(state: DokployState, composeId: string): DokployComposeRow {
  return state.composes.get(composeId) ?? notFound("Compose not found");
}

/** `findEnvironmentById`: the row or `404 Environment not found`. */
export function findEnvironment(state: DokployState, environmentId: string): DokployEnvironmentRow {
  return state.environments.get(environmentId) ?? notFound("Environment not found");
}
