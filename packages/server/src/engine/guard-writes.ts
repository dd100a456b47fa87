import type { DokployClient } from "@iac/sdk";
import { throwIfCancelled } from "./throw-if-cancelled.js";

/**
 * The same client, except that every `POST` (each Dokploy write is one) first checks `signal` and throws a
 * `cancelled` error instead of sending once it is aborted. Wrapping the client covers the writes of every step
 * (`ensureCompose`, `syncMounts`, ...) without each of them taking the signal. Reads still go out: they change nothing.
 */
export function guardWrites(dokploy: DokployClient, signal: AbortSignal | undefined): DokployClient {
  if (signal === undefined) {
    return dokploy;
  }
  const post: DokployClient["POST"] = (url, ...init) => {
    throwIfCancelled(signal, `before ${url.replace(/^\//, "")}`);
    return dokploy.POST(url, ...init);
  };
  return { ...dokploy, POST: post };
}
