import type { FakeClock, VaultSecret, VaultSecretVersion, VaultSeed, VaultState } from "../types.js";
import { noContent, vaultError, vaultResponse } from "./envelope.js";

/** A request to a KV v2 mount, split into its parts. */
export interface KvRequest {
  request: Request;
  namespace: string;
  mount: string;
  /** `data`, `metadata`, `delete`, `undelete` or `destroy`. */
  operation: string;
  path: string;
  /** Key of the secret in `state.secrets`. */
  key: string;
}

/** What the KV handlers need from the fake. */
export interface KvHost {
  state: VaultState;
  seed: VaultSeed;
  clock: FakeClock;
}

const MERGE_PATCH = "application/merge-patch+json";

function versionMetadata(secret: VaultSecret, version: VaultSecretVersion): object {
  return {
    created_time: version.createdTime,
    custom_metadata: secret.customMetadata,
    deletion_time: version.deletionTime,
    destroyed: version.destroyed,
    version: version.version,
  };
}

function latest(secret: VaultSecret | undefined): VaultSecretVersion | undefined {
  return secret?.versions.at(-1);
}

/** Fields of the KV request bodies the fake reads. */
interface KvBody {
  data?: unknown;
  options?: { cas?: unknown };
  versions?: unknown;
}

async function readJson(request: Request): Promise<KvBody | undefined> {
  const parsed: unknown = await request.json().catch(() => undefined);
  return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as KvBody) : undefined;
}

// Vault parses `version` as a Go int before the read runs: "" counts as 0, and 0 or a negative number means latest.
const INTEGER = /^[+-]?\d+$/;

function read(host: KvHost, kv: KvRequest): Response {
  const raw = new URL(kv.request.url).searchParams.get("version") ?? "";
  if (raw !== "" && !INTEGER.test(raw)) {
    const reason = `cannot parse '' as int: strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`;
    return vaultError(400, [`Field validation failed: error converting input ${raw} for field "version": ${reason}`]);
  }
  const wanted = Number(raw);
  const secret = host.state.secrets.get(kv.key);
  const version = wanted > 0 ? secret?.versions[wanted - 1] : latest(secret);
  if (!secret || !version) {
    return vaultError(404);
  }
  const live = version.deletionTime === "" && !version.destroyed;
  return vaultResponse(
    { mount_type: "kv", data: { data: live ? version.data : null, metadata: versionMetadata(secret, version) } },
    live ? 200 : 404,
  );
}

async function write(host: KvHost, kv: KvRequest): Promise<Response> {
  const body = await readJson(kv.request);
  const secret = host.state.secrets.get(kv.key);
  let data = body?.data;
  if (kv.request.method === "PATCH") {
    if (kv.request.headers.get("content-type")?.split(";")[0]?.trim() !== MERGE_PATCH) {
      return vaultError(415, [`PATCH requests require Content-Type ${MERGE_PATCH}`]);
    }
    const current = latest(secret);
    if (!secret || !current?.data) {
      return vaultError(404);
    }
    data = mergePatch(current.data, data);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    return vaultError(400, ["no data provided"]);
  }
  const cas = body?.options?.cas;
  if (typeof cas === "number" && cas !== (latest(secret)?.version ?? 0)) {
    return vaultError(400, ["check-and-set parameter did not match the current version"]);
  }
  const location = { mount: kv.mount, namespace: kv.namespace };
  const version = host.seed.secret(kv.path, data as Record<string, unknown>, location);
  const written = host.state.secrets.get(kv.key) as VaultSecret;
  return vaultResponse({ mount_type: "kv", data: versionMetadata(written, version) });
}

function mergePatch(target: Record<string, unknown>, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) {
    return patch;
  }
  const merged: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

async function changeVersions(host: KvHost, kv: KvRequest): Promise<Response> {
  const secret = host.state.secrets.get(kv.key);
  const numbers = (await readJson(kv.request))?.versions;
  if (!Array.isArray(numbers) || numbers.length === 0) {
    return vaultError(400, ["no version number provided"]);
  }
  for (const version of numbers.map((n) => secret?.versions[Number(n) - 1])) {
    if (!version) {
      continue;
    }
    if (kv.operation === "delete" && version.deletionTime === "") {
      version.deletionTime = host.clock.iso();
    } else if (kv.operation === "undelete" && !version.destroyed) {
      version.deletionTime = "";
    } else if (kv.operation === "destroy") {
      version.destroyed = true;
      version.data = null;
    }
  }
  return noContent();
}

function readMetadata(host: KvHost, kv: KvRequest): Response {
  const secret = host.state.secrets.get(kv.key);
  const current = latest(secret);
  if (!secret || !current) {
    return vaultError(404);
  }
  const versions = Object.fromEntries(
    secret.versions.map((v) => [
      String(v.version),
      { created_time: v.createdTime, deletion_time: v.deletionTime, destroyed: v.destroyed },
    ]),
  );
  return vaultResponse({
    mount_type: "kv",
    data: {
      cas_required: false,
      created_time: secret.versions[0]?.createdTime,
      current_version: current.version,
      custom_metadata: secret.customMetadata,
      delete_version_after: "0s",
      max_versions: 0,
      oldest_version: 0,
      updated_time: current.createdTime,
      versions,
    },
  });
}

function list(host: KvHost, kv: KvRequest): Response {
  const prefix = kv.path === "" ? "" : `${kv.path}/`;
  const keys = new Set<string>();
  for (const secret of host.state.secrets.values()) {
    if (secret.namespace === kv.namespace && secret.mount === kv.mount && secret.path.startsWith(prefix)) {
      const [first = "", ...deeper] = secret.path.slice(prefix.length).split("/");
      keys.add(deeper.length > 0 ? `${first}/` : first);
    }
  }
  return keys.size === 0 ? vaultError(404) : vaultResponse({ mount_type: "kv", data: { keys: [...keys].sort() } });
}

/** Whether a request is a KV list (`LIST` method, or `GET` with `?list=true`). */
export function isList(request: Request): boolean {
  return (
    request.method === "LIST" || (request.method === "GET" && new URL(request.url).searchParams.get("list") === "true")
  );
}

/**
 * KV v2: read/write/patch/soft-delete on `data/`, read/list/delete on `metadata/`, and `delete/`, `undelete/`, `destroy/`
 * of listed versions. Returns `undefined` for anything else so MSW reports the request as unhandled.
 */
export async function handleKv(host: KvHost, kv: KvRequest): Promise<Response | undefined> {
  const { method } = kv.request;
  if (kv.operation === "data") {
    if (method === "GET") {
      return read(host, kv);
    }
    if (method === "POST" || method === "PUT" || method === "PATCH") {
      return write(host, kv);
    }
    if (method === "DELETE") {
      const version = latest(host.state.secrets.get(kv.key));
      if (version && version.deletionTime === "") {
        version.deletionTime = host.clock.iso();
      }
      return noContent();
    }
  }
  if (kv.operation === "metadata") {
    if (isList(kv.request)) {
      return list(host, kv);
    }
    if (method === "GET") {
      return readMetadata(host, kv);
    }
    if (method === "DELETE") {
      host.state.secrets.delete(kv.key);
      return noContent();
    }
  }
  if (["delete", "undelete", "destroy"].includes(kv.operation) && (method === "POST" || method === "PUT")) {
    return changeVersions(host, kv);
  }
  return undefined;
}
