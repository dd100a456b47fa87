import type { SyncTarget } from "../types.js";
import type { ComposeNames } from "./find-compose.js";

/**
 * The Dokploy project, environment and compose of a service in one environment: the names `iac.config.yaml` gives,
 * with `{env}` and `{service}` filled in in the environment name.
 */
export function composeNames({
  env,
  environment,
  service,
}: Pick<SyncTarget, "env" | "environment" | "service">): ComposeNames {
  const fill = (template: string): string => template.replaceAll("{env}", env).replaceAll("{service}", service.name);
  return {
    project: service.dokploy.project,
    environment: fill(service.dokploy.environment ?? environment.dokployEnvironment),
    compose: service.dokploy.compose,
  };
}
