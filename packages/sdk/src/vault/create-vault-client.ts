import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../generated/vault.js";
import { createResilientFetch } from "../http/create-resilient-fetch.js";
import { normalizeBaseUrl } from "../http/normalize-base-url.js";
import type { VaultAuth, VaultClient, VaultClientOptions, VaultEnvelope, VaultResult } from "../types.js";
import { encodeVaultPath } from "./encode-vault-path.js";
import { toKvReadResult } from "./to-kv-read-result.js";

const LOGIN_PATH = "/auth/{approle_mount_path}/login";

// openapi-fetch's Readable<> drops properties whose type is exactly `null` (here the envelope's `data`), so the
// generated success type lacks a field the server always sends; restore it.
type AuthResult = VaultResult<VaultEnvelope<null> & { auth: VaultAuth }>;

function requireString(name: string, value: unknown): string {
  if (typeof value !== "string" || value === "") {
    throw new TypeError(`[@iac/sdk] invalid ${name}: expected a non-empty string, received ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Creates a typed Vault client on `<address>/v1`. Raw calls (`GET`, `POST`, …) and helpers return
 * `{ data, error, response }` (or a {@link KvReadResult}) and throw only on network failure or timeout.
 * Only reads (`GET`) are retried; writes, renewals and logins never are.
 *
 * @example
 * const vault = createVaultClient({ address: "https://vault.example.com:8200" });
 * await vault.loginAppRole({ roleId, secretId });
 * const secret = await vault.readKv({ mount: "secret", path: "platform/staging/postgres" });
 * if (secret.kind === "ok") console.log(secret.data, secret.metadata.version);
 */
export function createVaultClient(options: VaultClientOptions): VaultClient {
  let token = options.token === undefined ? undefined : requireString("token", options.token);
  const { namespace } = options;
  const client = createClient<paths>({
    baseUrl: normalizeBaseUrl("address", options.address, "/v1"),
    pathSerializer: encodeVaultPath,
    fetch: createResilientFetch({
      fetch: options.fetch,
      timeoutMs: options.timeoutMs,
      retry: options.retry,
      canRetry: (request) => request.method === "GET",
    }),
  });
  const auth: Middleware = {
    onRequest({ request, schemaPath }) {
      // Login paths are unauthenticated; a stale token must not be sent along with fresh credentials.
      if (token !== undefined && schemaPath !== LOGIN_PATH) {
        request.headers.set("X-Vault-Token", token);
      }
      if (namespace !== undefined && namespace !== "") {
        request.headers.set("X-Vault-Namespace", namespace);
      }
      // Required by Vault Agent / Proxy with require_request_header; harmless otherwise.
      request.headers.set("X-Vault-Request", "true");
      return request;
    },
  };
  client.use(auth);

  return {
    ...client,
    setToken(next) {
      token = next === undefined ? undefined : requireString("token", next);
    },
    async readKv({ mount, path, version }) {
      const query = version === undefined ? {} : { version };
      const { data, error, response } = await client.GET("/{kv_v2_mount_path}/data/{path}", {
        params: { path: { kv_v2_mount_path: requireString("mount", mount), path: requireString("path", path) }, query },
      });
      return toKvReadResult(response.status, data ?? error);
    },
    lookupSelf() {
      return client.GET("/auth/token/lookup-self");
    },
    async renewSelf({ increment } = {}) {
      const result = await client.POST("/auth/token/renew-self", {
        body: increment === undefined ? {} : { increment },
      });
      return result as AuthResult;
    },
    async loginAppRole({ mount = "approle", roleId, secretId }) {
      const body = {
        role_id: requireString("roleId", roleId),
        ...(secretId === undefined ? {} : { secret_id: secretId }),
      };
      const result = await client.POST(LOGIN_PATH, { params: { path: { approle_mount_path: mount } }, body });
      if (result.data !== undefined) {
        token = result.data.auth.client_token;
      }
      return result as AuthResult;
    },
  };
}
