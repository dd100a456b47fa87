import { defaultEnvironment } from "./default-config.js";
import { formatKeyPath } from "./format-key-path.js";
import { globToRegExp } from "./glob-to-regexp.js";
import { IacConfigError } from "./iac-config-error.js";
import type { EnvironmentConfig, IacConfig, LayerMode, ServiceConfig, SharedPaths } from "./types.js";

type KeyPath = readonly (string | number)[];

const ENV_NAME = /^[A-Za-z0-9][\w-]*$/;
const VARIABLE_NAME = /^[A-Za-z_]\w*$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
const GLOB_CHARS = /[*?{}\\]/;
const LAYER_MODES: readonly LayerMode[] = ["auto", "manual", "ignore"];

function formatReceived(value: unknown): string {
  if (Array.isArray(value)) {
    return "a list";
  }
  if (typeof value === "object" && value !== null) {
    return "a mapping";
  }
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function fail(path: KeyPath, expected: string, received: unknown): never {
  throw new IacConfigError(formatKeyPath(path), `expected ${expected}, received ${formatReceived(received)}`);
}

function readMapping(value: unknown, path: KeyPath, allowedKeys?: readonly string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(path, "a mapping", value);
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key === "__proto__") {
      return fail([...path, key], "a key other than __proto__", key);
    }
    if (allowedKeys !== undefined && !allowedKeys.includes(key)) {
      throw new IacConfigError(
        formatKeyPath([...path, key]),
        `unknown key ${JSON.stringify(key)}, expected one of ${allowedKeys.join(", ")}`,
      );
    }
  }
  return record;
}

function readText(value: unknown, path: KeyPath): string {
  return typeof value === "string" ? value : fail(path, "a string", value);
}

function readName(value: unknown, path: KeyPath): string {
  return typeof value === "string" && value !== "" ? value : fail(path, "a non-empty string", value);
}

function readList<T>(value: unknown, path: KeyPath, readItem: (item: unknown, path: KeyPath) => T): T[] {
  if (!Array.isArray(value)) {
    return fail(path, "a list", value);
  }
  return value.map((item: unknown, index) => readItem(item, [...path, index]));
}

function readOptional<T>(
  record: Record<string, unknown>,
  key: string,
  path: KeyPath,
  read: (value: unknown, path: KeyPath) => T,
  fallback: T,
): T {
  return key in record ? read(record[key], [...path, key]) : fallback;
}

function readTemplate(value: unknown, path: KeyPath): string {
  const text = readName(value, path);
  for (const [placeholder, name] of text.matchAll(PLACEHOLDER)) {
    if (name !== "env" && name !== "service") {
      return fail(path, "only the placeholders {env} and {service}", placeholder);
    }
  }
  return text;
}

function readGlob(value: unknown, path: KeyPath): string {
  const glob = readName(value, path);
  try {
    globToRegExp(glob);
  } catch (error) {
    throw new IacConfigError(formatKeyPath(path), (error as Error).message.replace("[@iac/sync] ", ""));
  }
  return glob;
}

function readRootGlob(value: unknown, path: KeyPath): string {
  const glob = readGlob(value, path);
  if (glob.startsWith("/") || glob.split("/").some((segment) => segment === "." || segment === "..")) {
    return fail(path, "a glob relative to the repository root without . or .. segments", glob);
  }
  return glob;
}

function readServiceGlob(value: unknown, path: KeyPath): string {
  const glob = readGlob(value, path);
  const segments = (glob.startsWith("/") ? glob.slice(1) : glob).split("/");
  const firstOther = segments.findIndex((segment) => segment !== "..");
  const lateDots = segments.slice(firstOther).some((segment) => segment === "." || segment === "..");
  if (firstOther === -1 || lateDots || (glob.startsWith("/") && firstOther > 0)) {
    return fail(path, 'a glob relative to the service folder (leading "../" allowed) or starting with "/"', glob);
  }
  return glob;
}

function readRelativeFile(value: unknown, path: KeyPath): string {
  const file = readName(value, path);
  const segments = file.split("/");
  if (GLOB_CHARS.test(file) || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return fail(path, "a file path inside the service folder", file);
  }
  return file;
}

function readLayers(value: unknown, path: KeyPath): Record<string, LayerMode> {
  const layers: Record<string, LayerMode> = {};
  for (const [folder, mode] of Object.entries(readMapping(value, path))) {
    const keyPath = [...path, folder];
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
  }
  return layers;
}

function readShared(value: unknown, path: KeyPath): SharedPaths {
  const { paths: globs, services }: Record<string, unknown> = readMapping(value, path, ["paths", "services"]);
  const paths = readList(globs, [...path, "paths"], readRootGlob);
  if (paths.length === 0) {
    return fail([...path, "paths"], "at least one glob", paths);
  }
  if (services === "*") {
    return { paths, services };
  }
  if (!Array.isArray(services) || services.length === 0) {
    return fail([...path, "services"], '"*" or a non-empty list of service names', services);
  }
  return { paths, services: readList(services, [...path, "services"], readName) };
}

function readEnvironments(value: unknown, path: KeyPath): Record<string, EnvironmentConfig> {
  const environments: Record<string, EnvironmentConfig> = {};
  const entries = Object.entries(readMapping(value, path));
  if (entries.length === 0) {
    return fail(path, "at least one environment", value);
  }
  for (const [name, entry] of entries) {
    const keyPath = [...path, name];
    if (!ENV_NAME.test(name)) {
      return fail(keyPath, "an environment name of letters, digits, - and _ as the key", name);
    }
    const record = readMapping(entry, keyPath, ["env", "domainSuffix", "dokployEnvironment", "dataPath"]);
    const defaults = defaultEnvironment(name);
    environments[name] = {
      env: readOptional(record, "env", keyPath, readName, defaults.env),
      domainSuffix: readOptional(record, "domainSuffix", keyPath, readText, defaults.domainSuffix),
      dokployEnvironment: readOptional(record, "dokployEnvironment", keyPath, readName, defaults.dokployEnvironment),
      dataPath: readOptional(record, "dataPath", keyPath, readTemplate, defaults.dataPath),
    };
  }
  return environments;
}

function readEnvVariables(value: unknown, path: KeyPath): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, item] of Object.entries(readMapping(value, path))) {
    if (!VARIABLE_NAME.test(name)) {
      return fail([...path, name], "an environment variable name ([A-Za-z_][A-Za-z0-9_]*) as the key", name);
    }
    variables[name] = readText(item, [...path, name]);
  }
  return variables;
}

function readService(value: unknown, path: KeyPath): ServiceConfig {
  const record = readMapping(value, path, ["compose", "files", "dokploy", "vault", "env"]);
  const { dokploy: dokployValue = {} } = record;
  const dokployPath = [...path, "dokploy"];
  const dokploy = readMapping(dokployValue, dokployPath, ["project", "environment", "compose"]);
  return {
    compose: readOptional<string | null>(record, "compose", path, readRelativeFile, null),
    files: readOptional(record, "files", path, (item, itemPath) => readList(item, itemPath, readServiceGlob), []),
    dokploy: {
      project: readOptional<string | null>(dokploy, "project", dokployPath, readName, null),
      environment: readOptional<string | null>(dokploy, "environment", dokployPath, readTemplate, null),
      compose: readOptional<string | null>(dokploy, "compose", dokployPath, readName, null),
    },
    vault: readOptional(record, "vault", path, (item, itemPath) => readList(item, itemPath, readTemplate), []),
    env: readOptional(record, "env", path, readEnvVariables, {}),
  };
}

function readServices(value: unknown, path: KeyPath): Record<string, ServiceConfig> {
  const services: Record<string, ServiceConfig> = {};
  for (const [name, entry] of Object.entries(readMapping(value, path))) {
    if (name.includes("/") || name.trim() !== name || name === "") {
      return fail([...path, name], "a service name (folder name without its number prefix) as the key", name);
    }
    services[name] = readService(entry, [...path, name]);
  }
  return services;
}

/**
 * Checks a parsed `iac.config.yaml` document and fills in defaults. Every top-level key that is given replaces its
 * default entirely; inside an entry, omitted fields take their defaults. Throws `IacConfigError` naming the key path.
 */
export function validateConfig(document: unknown, defaults: IacConfig): IacConfig {
  const root = readMapping(document, [], ["layers", "shared", "environments", "services"]);
  return {
    layers: readOptional(root, "layers", [], readLayers, defaults.layers),
    shared: readOptional(root, "shared", [], (item, itemPath) => readList(item, itemPath, readShared), defaults.shared),
    environments: readOptional(root, "environments", [], readEnvironments, defaults.environments),
    services: readOptional(root, "services", [], readServices, defaults.services),
  };
}
