import { readMapping, readName, readOptional } from "./config-readers.js";
import { fail, type KeyPath, Violation, type Violations } from "./config-violation.js";
import type { NotifyTarget, ProbeConfig } from "./types.js";

/** `$NAME`: the runner's environment variable (or secrets-file entry) that holds the value. */
const VARIABLE_REFERENCE = /^\$[A-Za-z_]\w*$/;
const PROBE_PLACEHOLDERS = ["env", "service", "suffix"];
/** A probe may keep failing this long after a deploy by default before the deploy counts as failed. */
export const DEFAULT_PROBE_TIMEOUT_SECONDS = 60;

/** One of a fixed set of words, e.g. `rollback: auto | off`. */
export function choiceReader<T extends string>(choices: readonly T[]): (value: unknown, path: KeyPath) => T {
  return (value, path) =>
    typeof value === "string" && choices.includes(value as T)
      ? (value as T)
      : fail(path, choices.map((choice) => `"${choice}"`).join(" | "), value);
}

function readHttpUrl(value: unknown, path: KeyPath, what: string): string {
  const text = readName(value, path);
  const parsed = URL.canParse(text) ? new URL(text) : undefined;
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    return fail(path, what, text);
  }
  return text;
}

/** A URL is either written out or named by `$NAME` (a Slack URL is itself a credential, so it rarely belongs in git). */
function readUrlOrReference(value: unknown, path: KeyPath): string {
  if (typeof value === "string" && VARIABLE_REFERENCE.test(value)) {
    return value;
  }
  return readHttpUrl(value, path, "an http(s) URL or $NAME of a variable holding one");
}

/** The value is never echoed: a key written out where its variable's name belongs must not reach logs or CI output. */
function readReference(value: unknown, path: KeyPath): string {
  if (typeof value === "string" && VARIABLE_REFERENCE.test(value)) {
    return value;
  }
  throw new Violation(
    path,
    "expected $NAME of the runner's variable holding the signing key (never the key itself); the value is not shown",
  );
}

const readNotifyType = choiceReader(["slack", "webhook"] as const);
const readNotifyOn = choiceReader(["failure", "all"] as const);

/** One `notify` entry of an environment. */
export function readNotifyTarget(value: unknown, path: KeyPath, out: Violations): NotifyTarget {
  const record = readMapping(value, path, out, ["type", "url", "secret", "on"]);
  if (!Object.hasOwn(record, "type") || !Object.hasOwn(record, "url")) {
    return fail(path, "a mapping with type and url", value);
  }
  const type = readNotifyType(record["type"], [...path, "type"]);
  const url = readUrlOrReference(record["url"], [...path, "url"]);
  const on = readOptional(record, "on", path, out, readNotifyOn, "failure");
  if (type === "slack") {
    return Object.hasOwn(record, "secret")
      ? fail([...path, "secret"], "no secret for slack (its URL is the credential)", record["secret"])
      : { type, url, secret: null, on };
  }
  if (!Object.hasOwn(record, "secret")) {
    return fail(path, "a secret ($NAME) for a webhook, which is always signed", value);
  }
  return { type, url, secret: readReference(record["secret"], [...path, "secret"]), on };
}

/** `probe` of a service: a URL template checked after each deploy. */
export function readProbe(value: unknown, path: KeyPath, out: Violations): ProbeConfig {
  const record = readMapping(value, path, out, ["url", "timeoutSeconds"]);
  if (!Object.hasOwn(record, "url")) {
    return fail(path, "a mapping with url", value);
  }
  const urlPath = [...path, "url"];
  const url = readHttpUrl(record["url"], urlPath, "an http(s) URL, with {env}, {service} or {suffix} in it if needed");
  for (const [placeholder, name] of url.matchAll(/\{([^{}]*)\}/g)) {
    if (!PROBE_PLACEHOLDERS.includes(name as string)) {
      return fail(urlPath, "only the placeholders {env}, {service} and {suffix}", placeholder);
    }
  }
  const timeoutSeconds = readOptional(
    record,
    "timeoutSeconds",
    path,
    out,
    (item, itemPath) =>
      Number.isInteger(item) && (item as number) >= 1 && (item as number) <= 3600
        ? (item as number)
        : fail(itemPath, "a whole number of seconds from 1 to 3600", item),
    DEFAULT_PROBE_TIMEOUT_SECONDS,
  );
  return { url, timeoutSeconds };
}
