import dokploySpec from "../../src/generated/dokploy.openapi.json" with { type: "json" };
import {
  createOpenApiValidator,
  type OpenApiDocument,
  type OpenApiValidator,
} from "../../src/testing/shared/openapi-validator.js";
import type { FakeDokploy } from "../../src/testing/types.js";
import { type ContractFetch, createContractFetch } from "./contract-fetch.js";

/** A minimal REST caller for the fake, checked against the merged spec's response schemas. */
export interface DokployApi {
  contract: ContractFetch;
  get(procedure: string, query?: Record<string, string>): Promise<{ status: number; body: unknown }>;
  post(procedure: string, body: unknown): Promise<{ status: number; body: unknown }>;
}

/** Validators of the merged Dokploy spec (requests from upstream, responses from the overlay). */
export const dokployValidator: OpenApiValidator = createOpenApiValidator(dokploySpec as unknown as OpenApiDocument);

/** Builds the caller; create it after `server.listen()`. */
export function createDokployApi(fake: FakeDokploy, apiKey: string = fake.apiKey): DokployApi {
  const contract = createContractFetch(dokployValidator, (url) => url.pathname.replace(/^\/api/, ""));
  const send = async (request: Request): Promise<{ status: number; body: unknown }> => {
    const response = await contract.fetch(request);
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  };
  return {
    contract,
    get: (procedure, query = {}) =>
      send(
        new Request(`${fake.baseUrl}/api/${procedure}?${new URLSearchParams(query)}`, {
          headers: { "x-api-key": apiKey },
        }),
      ),
    post: (procedure, body) =>
      send(
        new Request(`${fake.baseUrl}/api/${procedure}`, {
          method: "POST",
          headers: { "x-api-key": apiKey, "content-type": "application/json" },
          body: JSON.stringify(body),
        }),
      ),
  };
}
