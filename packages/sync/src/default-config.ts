import { deepFreeze } from "./deep-freeze.js";
import type { EnvironmentConfig, IacConfig } from "./types.js";

/**
 * Data directory template used when an environment does not set `dataPath`: the original runner's
 * `/data/<layer>/<service>` in production and `/data/<layer>/<service>-staging` in staging, so a migrated database
 * keeps its folder.
 */
export const DEFAULT_DATA_PATH = "/data/{layer}/{service}{suffix}";

/** Values of an environment that does not override them: production has no domain suffix, others `-<name>`. */
export function defaultEnvironment(name: string): EnvironmentConfig {
  return {
    env: name,
    domainSuffix: name === "production" ? "" : `-${name}`,
    dokployEnvironment: name,
    dataPath: DEFAULT_DATA_PATH,
    rollback: "off",
    reconcile: "report",
    notify: [],
  };
}

/**
 * The configuration of a repository without `iac.config.yaml`, matching the original runner: `platform/<NN>.<name>/`
 * folders sync on push, `bootstrap/` is deployed by hand, `libs/**` changes reach every platform service, and the
 * application folders are not the runner's business.
 */
export const DEFAULT_CONFIG: IacConfig = deepFreeze({
  layers: { platform: "auto", bootstrap: "manual", finance_report: "ignore", finance: "ignore" },
  shared: [{ paths: ["libs/**"], services: "*" }],
  environments: { staging: defaultEnvironment("staging"), production: defaultEnvironment("production") },
  services: {},
});
