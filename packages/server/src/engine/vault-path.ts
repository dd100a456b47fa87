import type { VaultLocation } from "../types.js";
import { SyncError } from "./sync-error.js";

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/**
 * Turns a Vault path template from `iac.config.yaml` into a KV v2 mount and path, substituting `{env}` and
 * `{service}`. The first segment is the mount. Both the API form `secret/data/platform/{env}/postgres` and the CLI
 * form `secret/platform/{env}/postgres` name the secret `platform/<env>/postgres` in mount `secret`; so a second
 * segment `data` is always read as the API form.
 */
export function parseVaultPath(template: string, values: { env: string; service: string }): VaultLocation {
  const rendered = template.replaceAll("{env}", values.env).replaceAll("{service}", values.service);
  const segments = rendered.replace(/^\/+|\/+$/g, "").split("/");
  const [mount, ...rest] = segments;
  const pathSegments = rest[0] === "data" ? rest.slice(1) : rest;
  if (
    mount === undefined ||
    pathSegments.length === 0 ||
    ![mount, ...pathSegments].every((segment) => SEGMENT.test(segment) && segment !== "." && segment !== "..")
  ) {
    throw new SyncError(
      "config_invalid",
      `[@iac/server] invalid Vault path "${template}": expected "<mount>/data/<path>" or "<mount>/<path>" with segments of letters, digits, ".", "_" or "-", received "${rendered}"`,
    );
  }
  return { mount, path: pathSegments.join("/") };
}
