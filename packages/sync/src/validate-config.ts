import {
  GLOB_CHARS,
  readDataPath,
  readList,
  readMapping,
  readName,
  readOptional,
  readRelativeFile,
  readRootGlob,
  readServiceGlob,
  readTemplate,
  readText,
} from "./config-readers.js";
import { attempt, type ConfigViolation, fail, type KeyPath, type Violations } from "./config-violation.js";
import { defaultEnvironment } from "./default-config.js";
import { choiceReader, readNotifyTarget, readProbe } from "./feedback-config-readers.js";
import type { EnvironmentConfig, IacConfig, LayerMode, ProbeConfig, ServiceConfig, SharedPaths } from "./types.js";

/** Result of {@link validateConfig}: the config with defaults filled in, valid only when `violations` is empty. */
export interface ValidatedConfig {
  config: IacConfig;
  violations: ConfigViolation[];
}

const ENV_NAME = /^[A-Za-z0-9][\w-]*$/;
const VARIABLE_NAME = /^[A-Za-z_]\w*$/;
const LAYER_MODES: readonly LayerMode[] = ["auto", "manual", "ignore"];
const readRollback = choiceReader(["auto", "off"] as const);
const readReconcile = choiceReader(["report", "correct"] as const);

function readLayers(value: unknown, path: KeyPath, out: Violations): Record<string, LayerMode> {
  const layers: Record<string, LayerMode> = {};
  for (const [folder, mode] of Object.entries(readMapping(value, path, out))) {
    const keyPath = [...path, folder];
    attempt(out, () => {
      if (folder.split("/").some((segment) => segment === "" || segment === "." || segment === "..")) {
        return fail(keyPath, "a folder path relative to the repository root as the key", folder);
      }
      if (GLOB_CHARS.test(folder)) {
        return fail(keyPath, "a folder name without glob characters as the key", folder);
      }
      if (typeof mode !== "string" || !LAYER_MODES.includes(mode as LayerMode)) {
        return fail(keyPath, LAYER_MODES.map((name) => `"${name}"`).join(" | "), mode);
      }
      const overlapping = Object.keys(layers).find(
        (other) => `${folder}/`.startsWith(`${other}/`) || `${other}/`.startsWith(`${folder}/`),
      );
      if (overlapping !== undefined) {
        return fail(keyPath, `a folder outside the layer "${overlapping}"`, folder);
      }
      layers[folder] = mode as LayerMode;
    });
  }
  return layers;
}

function readShared(value: unknown, path: KeyPath, out: Violations): SharedPaths {
  const { paths: globs, services: targets }: Record<string, unknown> = readMapping(value, path, out, [
    "paths",
    "services",
  ]);
  const pathsPath = [...path, "paths"];
  const paths =
    attempt(out, () => {
      const read = readList(globs, pathsPath, out, readRootGlob);
      return (globs as unknown[]).length === 0 ? fail(pathsPath, "at least one glob", globs) : read;
    }) ?? [];
  const services = attempt(out, (): SharedPaths["services"] => {
    if (targets === "*") {
      return targets;
    }
    if (!Array.isArray(targets) || targets.length === 0) {
      return fail([...path, "services"], '"*" or a non-empty list of service names', targets);
    }
    return readList(targets, [...path, "services"], out, readName);
  });
  return { paths, services: services ?? [] };
}

function readEnvironment(name: string, entry: unknown, path: KeyPath, out: Violations): EnvironmentConfig {
  if (!ENV_NAME.test(name)) {
    return fail(path, "an environment name of letters, digits, - and _ as the key", name);
  }
  const record = readMapping(entry, path, out, [
    "env",
    "domainSuffix",
    "dokployEnvironment",
    "dataPath",
    "rollback",
    "reconcile",
    "notify",
  ]);
  const defaults = defaultEnvironment(name);
  return {
    env: readOptional(record, "env", path, out, readName, defaults.env),
    domainSuffix: readOptional(record, "domainSuffix", path, out, readText, defaults.domainSuffix),
    dokployEnvironment: readOptional(record, "dokployEnvironment", path, out, readName, defaults.dokployEnvironment),
    dataPath: readOptional(record, "dataPath", path, out, readDataPath, defaults.dataPath),
    rollback: readOptional(record, "rollback", path, out, readRollback, defaults.rollback),
    reconcile: readOptional(record, "reconcile", path, out, readReconcile, defaults.reconcile),
    notify: readOptional(
      record,
      "notify",
      path,
      out,
      (item, itemPath) =>
        readList(item, itemPath, out, (target, targetPath) => readNotifyTarget(target, targetPath, out)),
      defaults.notify,
    ),
  };
}

function readEnvironments(value: unknown, path: KeyPath, out: Violations): Record<string, EnvironmentConfig> {
  const environments: Record<string, EnvironmentConfig> = {};
  const entries = Object.entries(readMapping(value, path, out));
  if (entries.length === 0) {
    return fail(path, "at least one environment", value);
  }
  for (const [name, entry] of entries) {
    const environment = attempt(out, () => readEnvironment(name, entry, [...path, name], out));
    if (environment !== undefined) {
      environments[name] = environment;
    }
  }
  return environments;
}

function readEnvVariables(value: unknown, path: KeyPath, out: Violations): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, item] of Object.entries(readMapping(value, path, out))) {
    attempt(out, () => {
      if (!VARIABLE_NAME.test(name)) {
        return fail([...path, name], "an environment variable name ([A-Za-z_][A-Za-z0-9_]*) as the key", name);
      }
      variables[name] = readText(item, [...path, name]);
    });
  }
  return variables;
}

function readService(value: unknown, path: KeyPath, out: Violations): ServiceConfig {
  const record = readMapping(value, path, out, ["compose", "files", "dokploy", "vault", "env", "probe"]);
  const { dokploy: dokployValue = {} } = record;
  const dokployPath = [...path, "dokploy"];
  const dokploy =
    attempt(out, () => readMapping(dokployValue, dokployPath, out, ["project", "environment", "compose"])) ?? {};
  const listOf =
    (readItem: (item: unknown, path: KeyPath) => string) =>
    (item: unknown, itemPath: KeyPath): string[] =>
      readList(item, itemPath, out, readItem);
  return {
    compose: readOptional<string | null>(record, "compose", path, out, readRelativeFile, null),
    files: readOptional(record, "files", path, out, listOf(readServiceGlob), []),
    dokploy: {
      project: readOptional<string | null>(dokploy, "project", dokployPath, out, readName, null),
      environment: readOptional<string | null>(dokploy, "environment", dokployPath, out, readTemplate, null),
      compose: readOptional<string | null>(dokploy, "compose", dokployPath, out, readName, null),
    },
    vault: readOptional(record, "vault", path, out, listOf(readTemplate), []),
    env: readOptional(record, "env", path, out, (item, itemPath) => readEnvVariables(item, itemPath, out), {}),
    probe: readOptional<ProbeConfig | null>(
      record,
      "probe",
      path,
      out,
      (item, itemPath) => readProbe(item, itemPath, out),
      null,
    ),
  };
}

function readServices(value: unknown, path: KeyPath, out: Violations): Record<string, ServiceConfig> {
  const services: Record<string, ServiceConfig> = {};
  for (const [name, entry] of Object.entries(readMapping(value, path, out))) {
    const service = attempt(out, () => {
      if (name.includes("/") || name.trim() !== name || name === "") {
        return fail([...path, name], "a service name (folder name without its number prefix) as the key", name);
      }
      return readService(entry, [...path, name], out);
    });
    if (service !== undefined) {
      services[name] = service;
    }
  }
  return services;
}

/**
 * Checks a parsed `iac.config.yaml` document and fills in defaults. Every top-level key that is given replaces its
 * default entirely; inside an entry, omitted fields take their defaults. Each key, list item and map entry is checked
 * on its own, so every violation is reported (in document traversal order), not only the first; the config is only
 * meaningful when there are none. The one set of rules behind `validateConfigText` and `parseConfig`.
 */
export function validateConfig(document: unknown, defaults: IacConfig): ValidatedConfig {
  const out: Violations = [];
  const config =
    attempt(out, (): IacConfig => {
      const root = readMapping(document, [], out, ["layers", "shared", "environments", "services"]);
      return {
        layers: readOptional(root, "layers", [], out, (item, path) => readLayers(item, path, out), defaults.layers),
        shared: readOptional(
          root,
          "shared",
          [],
          out,
          (item, path) => readList(item, path, out, (rule, rulePath) => readShared(rule, rulePath, out)),
          defaults.shared,
        ),
        environments: readOptional(
          root,
          "environments",
          [],
          out,
          (item, path) => readEnvironments(item, path, out),
          defaults.environments,
        ),
        services: readOptional(
          root,
          "services",
          [],
          out,
          (item, path) => readServices(item, path, out),
          defaults.services,
        ),
      };
    }) ?? defaults;
  return { config, violations: out };
}
