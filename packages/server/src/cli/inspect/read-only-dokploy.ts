import type { DokployClient } from "@iac/sdk";
import { SyncError } from "../../engine/sync-error.js";

/**
 * The same client with every write refused before it is sent: each Dokploy write is a `POST`, and `iac-runner plan`
 * must never create or change anything, whatever code path it takes.
 */
export function readOnlyDokploy(dokploy: DokployClient): DokployClient {
  const refuse = ((url: string) =>
    Promise.reject(
      new SyncError("dokploy_error", `[@iac/server] refused to call Dokploy ${url.replace(/^\//, "")}: read-only`),
    )) as DokployClient["POST"];
  return { ...dokploy, POST: refuse };
}
