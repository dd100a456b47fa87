import type { NotifyTarget } from "@iac/sync";
import type { VariableLookup } from "../../types.js";

/** Where and how to send, with `$NAME` references read; or why the target can never be sent to. */
export type ResolvedTarget =
  | { type: "slack"; url: string }
  | { type: "webhook"; url: string; secret: string }
  | { type: "refused"; reason: string };

async function read(lookup: VariableLookup, reference: string): Promise<string | undefined> {
  if (!reference.startsWith("$")) {
    return reference;
  }
  const value = await lookup(reference.slice(1));
  return value === "" ? undefined : value;
}

/**
 * Reads the variables a target names. A variable that is not set, or whose value is not an http(s) URL, refuses the
 * target: no retry will find it otherwise until an operator fixes the configuration. The reason names the variable,
 * never its value. A `lookup` that throws (e.g. the secrets file cannot be read) rejects, to be retried.
 */
export async function resolveTarget(target: NotifyTarget, lookup: VariableLookup): Promise<ResolvedTarget> {
  const url = await read(lookup, target.url);
  if (url === undefined) {
    return { type: "refused", reason: `variable ${target.url} is not set` };
  }
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  const source = target.url.startsWith("$") ? `variable ${target.url}` : "url";
  if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    return { type: "refused", reason: `${source} does not hold an http(s) URL` };
  }
  // fetch refuses such a URL, with an error that quotes it.
  if (parsed.username !== "" || parsed.password !== "") {
    return { type: "refused", reason: `${source} holds a URL with credentials (user:password@), which fetch refuses` };
  }
  if (target.type === "slack") {
    return { type: "slack", url };
  }
  // The configuration requires a key for every webhook; one made in code without it is refused, never sent unsigned.
  if (target.secret === null) {
    return { type: "refused", reason: "a webhook needs a secret ($NAME of its signing key)" };
  }
  const secret = await read(lookup, target.secret);
  return secret === undefined
    ? { type: "refused", reason: `variable ${target.secret} is not set` }
    : { type: "webhook", url, secret };
}
