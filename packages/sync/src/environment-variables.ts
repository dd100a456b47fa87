import type { CatalogService, EnvironmentConfig } from "./types.js";

/** The placeholders of `dataPath`, in the order the docs list them. */
export const DATA_PATH_PLACEHOLDERS: readonly string[] = ["env", "service", "layer", "suffix"];

const PLACEHOLDER = new RegExp(`\\{(${DATA_PATH_PLACEHOLDERS.join("|")})\\}`, "g");

/**
 * The variables every service gets from its environment, with the original runner's names, since the compose files
 * written for it use them: `ENV`, `ENV_SUFFIX` (in container names, so that staging and production containers on one
 * host do not clash) and `ENV_DOMAIN_SUFFIX` (in host names), both the environment's `domainSuffix`, and `DATA_PATH`
 * (the host folder of the service's data: `dataPath` with `{env}` the environment's name, `{service}`, `{layer}` the
 * service's layer folder and `{suffix}` the `domainSuffix`, each filled in once).
 *
 * @example
 * environmentVariables("staging", parseConfig("").environments.staging, { name: "postgres", layer: "platform" });
 * // { ENV: "staging", ENV_SUFFIX: "-staging", ENV_DOMAIN_SUFFIX: "-staging", DATA_PATH: "/data/platform/postgres-staging" }
 */
export function environmentVariables(
  env: string,
  environment: EnvironmentConfig,
  service: Pick<CatalogService, "name" | "layer">,
): Record<string, string> {
  const values: Record<string, string> = {
    env,
    service: service.name,
    layer: service.layer,
    suffix: environment.domainSuffix,
  };
  return {
    ENV: environment.env,
    ENV_SUFFIX: environment.domainSuffix,
    ENV_DOMAIN_SUFFIX: environment.domainSuffix,
    DATA_PATH: environment.dataPath.replace(PLACEHOLDER, (_, name: string) => values[name] as string),
  };
}
