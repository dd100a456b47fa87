import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeDokploy, createFakeVault } from "../../src/testing/index.js";
import { createDokployApi } from "./dokploy-api.js";
import { createVaultApi } from "./vault-api.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// The contract tests are only as good as their checker: it must reject bodies that break the merged spec.
describe("contract fetch", () => {
  it.each([
    ["a compose row with a numeric id", { composeId: 1, name: "web" }],
    ["an empty object", {}],
  ])("flags a compose.one body that is %s", async (_name, body) => {
    const fake = createFakeDokploy();
    server.use(http.get(`${fake.baseUrl}/api/compose.one`, () => HttpResponse.json(body)));
    const api = createDokployApi(fake);
    await api.get("compose.one", { composeId: "c" });
    expect(api.contract.violations).toHaveLength(1);
  });

  it("flags a Vault response without the envelope", async () => {
    const fake = createFakeVault();
    server.use(http.get(`${fake.address}/v1/secret/data/app`, () => HttpResponse.json({ data: { data: {} } })));
    const api = createVaultApi(fake);
    await api.call("GET", "secret/data/app");
    expect(api.contract.violations).toHaveLength(1);
  });

  it("flags a status the operation does not declare", async () => {
    const fake = createFakeDokploy();
    server.use(http.get(`${fake.baseUrl}/api/project.all`, () => HttpResponse.json({ message: "x" }, { status: 418 })));
    const api = createDokployApi(fake);
    await api.get("project.all");
    expect(api.contract.violations).toEqual([expect.objectContaining({ status: 418 })]);
  });
});
