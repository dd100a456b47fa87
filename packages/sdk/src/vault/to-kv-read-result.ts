import { isRecord } from "../is-record.js";
import type { KvReadResult, KvVersionMetadata } from "../types.js";
import { errorsOf } from "./errors-of.js";

/** The inner `data` of a KV v2 envelope (`{ data, metadata }`), if the body is one. */
function kvData(body: unknown): { data: unknown; metadata: KvVersionMetadata } | undefined {
  const { data: inner } = isRecord(body) ? body : {};
  if (!isRecord(inner)) {
    return undefined;
  }
  const { data, metadata } = inner;
  return isRecord(metadata) ? { data, metadata: metadata as KvVersionMetadata } : undefined;
}

/**
 * Maps the status and body of a KV v2 read to a {@link KvReadResult}. A 404 with an envelope is a deleted or
 * destroyed version; a 404 with `{ errors }` is a key that was never written (or is hidden by policy).
 */
export function toKvReadResult(status: number, body: unknown): KvReadResult {
  const kv = kvData(body);
  if (status >= 200 && status < 300 && kv !== undefined) {
    return isRecord(kv.data)
      ? { kind: "ok", data: kv.data, metadata: kv.metadata }
      : { kind: "deleted", metadata: kv.metadata };
  }
  if (status === 404) {
    return kv === undefined ? { kind: "missing" } : { kind: "deleted", metadata: kv.metadata };
  }
  if (status === 403) {
    return { kind: "forbidden", errors: errorsOf(body) };
  }
  return { kind: "error", status, errors: errorsOf(body) };
}
