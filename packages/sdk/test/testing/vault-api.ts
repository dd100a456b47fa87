import vaultSpec from "../../src/generated/vault.openapi.json" with { type: "json" };
import { createOpenApiValidator, type OpenApiDocument } from "../../src/testing/shared/openapi-validator.js";
import type { FakeVault } from "../../src/testing/types.js";
import { type ContractFetch, createContractFetch } from "./contract-fetch.js";

/** A minimal Vault caller for the fake, checked against the merged spec's response schemas. */
export interface VaultApi {
  contract: ContractFetch;
  call(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown }>;
}

const validator = createOpenApiValidator(vaultSpec as unknown as OpenApiDocument);

function toSpecPath(url: URL): string | undefined {
  const path = url.pathname.replace(/^\/v1/, "");
  if (path === "/auth/token/lookup-self" || path === "/auth/token/renew-self") {
    return path;
  }
  if (/^\/auth\/[^/]+\/login$/.test(path)) {
    return "/auth/{approle_mount_path}/login";
  }
  const kv = path.match(/^\/[^/]+\/(data|metadata)\//);
  return kv ? `/{kv_v2_mount_path}/${kv[1]}/{path}` : undefined;
}

/** Builds the caller; create it after `server.listen()`. `token: null` sends no token. */
export function createVaultApi(fake: FakeVault): VaultApi {
  const contract = createContractFetch(validator, toSpecPath);
  return {
    contract,
    async call(method, path, { token = fake.token, body, headers = {} } = {}) {
      const response = await contract.fetch(`${fake.address}/v1/${path}`, {
        method,
        headers: { ...(token === null ? {} : { "x-vault-token": token }), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
    },
  };
}
