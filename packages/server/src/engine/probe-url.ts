import type { CatalogService, EnvironmentConfig } from "@iac/sync";

const PLACEHOLDER = /\{(env|service|suffix)\}/g;

/**
 * The URL a service's `probe` checks in one environment: `{env}` is the environment's name, `{service}` the service's
 * and `{suffix}` the environment's `domainSuffix`, each filled in once (a value holding braces is never expanded).
 */
export function probeUrl(
  template: string,
  env: string,
  environment: EnvironmentConfig,
  service: CatalogService,
): string {
  const values: Record<string, string> = { env, service: service.name, suffix: environment.domainSuffix };
  return template.replace(PLACEHOLDER, (_, name: string) => values[name] as string);
}
