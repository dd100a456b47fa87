import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeDokploy, createFakeVault } from "../../src/testing/index.js";
import { createDokployApi } from "./dokploy-api.js";
import { createVaultApi } from "./vault-api.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function startDokploy() {
  const fake = createFakeDokploy();
  server.use(...fake.handlers);
  const { environment } = fake.seed.project({ name: "infra" });
  const web = fake.seed.compose({ name: "web", environmentId: environment.environmentId });
  return { fake, web, api: createDokployApi(fake) };
}

describe("fault injection", () => {
  it("answers the next N matching requests with the injected status, then recovers", async () => {
    const { fake, web, api } = startDokploy();
    const fault = fake.inject({ route: "/compose.deploy", status: 503, times: 2 });
    const deploy = () => api.post("compose.deploy", { composeId: web.composeId });

    expect((await deploy()).status).toBe(503);
    expect((await deploy()).body).toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect((await deploy()).status).toBe(200);
    expect(fault.hits()).toBe(2);
    expect(fake.state.deployCalls).toHaveLength(1);
  });

  it("drops a request as a network error", async () => {
    const { fake, api } = startDokploy();
    fake.inject({ route: /^\/project\./, drop: true });
    await expect(api.get("project.all")).rejects.toThrow(TypeError);
  });

  it("matches by method and sends text bodies as text", async () => {
    const { fake, web, api } = startDokploy();
    fake.inject({ method: "POST", status: 502, body: "Bad Gateway" });
    expect((await api.get("compose.one", { composeId: web.composeId })).status).toBe(200);
    const response = await fetch(`${fake.baseUrl}/api/compose.deploy`, {
      method: "POST",
      headers: { "x-api-key": fake.apiKey, "content-type": "application/json" },
      body: JSON.stringify({ composeId: web.composeId }),
    });
    expect(response.status).toBe(502);
    expect(await response.text()).toBe("Bad Gateway");
  });

  it("passes a delayed request on to the fake", async () => {
    const { fake, api } = startDokploy();
    const fault = fake.inject({ route: "/project.all", delayMs: 1 });
    expect((await api.get("project.all")).status).toBe(200);
    expect(fault.hits()).toBe(1);
  });

  it("stops injecting once removed or cleared", async () => {
    const { fake, api } = startDokploy();
    const fault = fake.inject({ status: 500 });
    expect((await api.get("project.all")).status).toBe(500);
    fault.remove();
    expect((await api.get("project.all")).status).toBe(200);
    fake.inject({ status: 500 });
    fake.clearFaults();
    expect((await api.get("project.all")).status).toBe(200);
  });

  it("answers injected Vault faults with Vault's error body", async () => {
    const fake = createFakeVault();
    server.use(...fake.handlers);
    fake.seed.secret("app", { A: "1" });
    fake.inject({ route: "/v1/secret/data/app", status: 503, times: 1 });
    const api = createVaultApi(fake);
    expect(await api.call("GET", "secret/data/app")).toEqual({ status: 503, body: { errors: ["injected 503"] } });
    expect((await api.call("GET", "secret/data/app")).status).toBe(200);
    expect(api.contract.violations).toEqual([]);
  });
});
