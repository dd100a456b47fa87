import type { EnvironmentConfig, ServiceCatalog } from "@iac/sync";
import { CliError } from "../cli-error.js";

/**
 * The environment `env` of the catalog's config.
 *
 * @throws {CliError} when the config has no such environment, listing those it has.
 */
export function selectEnvironment(
  catalog: ServiceCatalog,
  env: string,
): { env: string; environment: EnvironmentConfig } {
  const { environments } = catalog.config;
  const environment = Object.hasOwn(environments, env) ? environments[env] : undefined;
  if (environment === undefined) {
    throw new CliError(
      `unknown environment ${JSON.stringify(env)}: expected one of ${Object.keys(environments).join(", ")} (--env, default DEPLOY_ENV or staging)`,
    );
  }
  return { env, environment };
}
