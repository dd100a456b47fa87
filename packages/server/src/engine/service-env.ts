import { type CatalogService, type EnvironmentConfig, environmentVariables } from "@iac/sync";

/** Inputs of {@link serviceEnv}. */
export interface ServiceEnvInput {
  /** Environment name as requested (`staging`, `production`, ...). */
  env: string;
  environment: EnvironmentConfig;
  service: CatalogService;
  /** `INTERNAL_DOMAIN` handed to every service; omitted when absent. */
  internalDomain?: string | undefined;
  /** `VAULT_ADDR` handed to every service; omitted when absent. */
  vaultAddress?: string | undefined;
}

/**
 * The plain (non-secret) env of a service in one environment: the environment's variables (`ENV`, `ENV_SUFFIX`,
 * `ENV_DOMAIN_SUFFIX`, `DATA_PATH`: see `environmentVariables`), `INTERNAL_DOMAIN` and `VAULT_ADDR` when known, then
 * the service's static `env` from `iac.config.yaml`, which wins on a clash.
 */
export function serviceEnv(input: ServiceEnvInput): Record<string, string> {
  const { env, environment, service } = input;
  return {
    ...environmentVariables(env, environment, service),
    ...(input.internalDomain === undefined ? {} : { INTERNAL_DOMAIN: input.internalDomain }),
    ...(input.vaultAddress === undefined ? {} : { VAULT_ADDR: input.vaultAddress }),
    ...service.env,
  };
}
