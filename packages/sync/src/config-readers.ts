import { attempt, fail, formatReceived, type KeyPath, Violation, type Violations } from "./config-violation.js";
import { DATA_PATH_PLACEHOLDERS } from "./environment-variables.js";
import { globToRegExp } from "./glob-to-regexp.js";

const PLACEHOLDER = /\{([^{}]*)\}/g;
/** Characters that make a path a glob; layer folders and compose paths must not contain them. */
export const GLOB_CHARS: RegExp = /[*?{}\\]/;

/**
 * A mapping, with every `__proto__` key and every key outside `allowedKeys` recorded as a violation and left out of
 * the result (so one typo does not hide the problems of the other keys).
 */
export function readMapping(
  value: unknown,
  path: KeyPath,
  out: Violations,
  allowedKeys?: readonly string[],
): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail(path, "a mapping", value);
  }
  const accepted: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === "__proto__") {
      out.push({
        path: [...path, key],
        problem: `expected a key other than __proto__, received ${formatReceived(key)}`,
      });
    } else if (allowedKeys !== undefined && !allowedKeys.includes(key)) {
      out.push({
        path: [...path, key],
        problem: `unknown key ${JSON.stringify(key)}, expected one of ${allowedKeys.join(", ")}`,
      });
    } else {
      accepted[key] = item;
    }
  }
  return accepted;
}

export function readText(value: unknown, path: KeyPath): string {
  return typeof value === "string" ? value : fail(path, "a string", value);
}

export function readName(value: unknown, path: KeyPath): string {
  return typeof value === "string" && value !== "" ? value : fail(path, "a non-empty string", value);
}

/** A list whose items are checked one by one; items with a violation are recorded and left out. */
export function readList<T>(
  value: unknown,
  path: KeyPath,
  out: Violations,
  readItem: (item: unknown, path: KeyPath) => T,
): T[] {
  if (!Array.isArray(value)) {
    return fail(path, "a list", value);
  }
  const items: T[] = [];
  value.forEach((item: unknown, index) => {
    const read = attempt(out, () => readItem(item, [...path, index]));
    if (read !== undefined) {
      items.push(read);
    }
  });
  return items;
}

export function readOptional<T>(
  record: Record<string, unknown>,
  key: string,
  path: KeyPath,
  out: Violations,
  read: (value: unknown, path: KeyPath) => T,
  fallback: T,
): T {
  return Object.hasOwn(record, key) ? (attempt(out, () => read(record[key], [...path, key])) ?? fallback) : fallback;
}

/** A reader of a non-empty string whose `{...}` placeholders are all in `names`. */
function templateReader(names: readonly string[]): (value: unknown, path: KeyPath) => string {
  const allowed = names.map((name) => `{${name}}`);
  const expected = `only the placeholders ${allowed.slice(0, -1).join(", ")} and ${allowed.at(-1)}`;
  return (value, path) => {
    const text = readName(value, path);
    for (const [placeholder, name] of text.matchAll(PLACEHOLDER)) {
      if (!names.includes(name as string)) {
        return fail(path, expected, placeholder);
      }
    }
    return text;
  };
}

/** Vault paths and Dokploy environment names: `{env}` and `{service}`. */
export const readTemplate: (value: unknown, path: KeyPath) => string = templateReader(["env", "service"]);

/** `dataPath`: also `{layer}` and `{suffix}` (see `DATA_PATH_PLACEHOLDERS`). */
export const readDataPath: (value: unknown, path: KeyPath) => string = templateReader(DATA_PATH_PLACEHOLDERS);

export function readGlob(value: unknown, path: KeyPath): string {
  const glob = readName(value, path);
  try {
    globToRegExp(glob);
  } catch (error) {
    throw new Violation(path, (error as Error).message.replace("[@iac/sync] ", ""));
  }
  return glob;
}

export function readRootGlob(value: unknown, path: KeyPath): string {
  const glob = readGlob(value, path);
  if (glob.startsWith("/") || glob.split("/").some((segment) => segment === "." || segment === "..")) {
    return fail(path, "a glob relative to the repository root without . or .. segments", glob);
  }
  return glob;
}

export function readServiceGlob(value: unknown, path: KeyPath): string {
  const glob = readGlob(value, path);
  const segments = (glob.startsWith("/") ? glob.slice(1) : glob).split("/");
  const firstOther = segments.findIndex((segment) => segment !== "..");
  const lateDots = segments.slice(firstOther).some((segment) => segment === "." || segment === "..");
  if (firstOther === -1 || lateDots || (glob.startsWith("/") && firstOther > 0)) {
    return fail(path, 'a glob relative to the service folder (leading "../" allowed) or starting with "/"', glob);
  }
  return glob;
}

export function readRelativeFile(value: unknown, path: KeyPath): string {
  const file = readName(value, path);
  const segments = file.split("/");
  if (GLOB_CHARS.test(file) || segments.some((segment) => segment === "" || segment === "." || segment === "..")) {
    return fail(path, "a file path inside the service folder", file);
  }
  return file;
}
