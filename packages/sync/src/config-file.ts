/**
 * Path of the repository config, at the root of the infrastructure repository. A change to it selects every
 * automatic service: any of their settings, environments or Vault paths may have changed, and each service's config
 * hash then decides whether it really redeploys.
 */
export const CONFIG_FILE: string = "iac.config.yaml";
