import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDokployClient, createVaultClient } from "../../src/index.js";
import { createFakeDokploy, createFakeVault } from "../../src/testing/index.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// The package's own clients against the fakes: what a runner test will do.
describe("@iac/sdk clients against the fakes", () => {
  it("drives a compose from creation to a finished deployment with the Dokploy client", async () => {
    const fake = createFakeDokploy({ deploy: { mode: "auto" } });
    server.use(...fake.handlers);
    const dokploy = createDokployClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, retry: false });

    const { data: created } = await dokploy.POST("/project.create", { body: { name: "infra" } });
    const environmentId = created?.environment.environmentId ?? "";
    const { data: compose } = await dokploy.POST("/compose.create", {
      body: { name: "web", environmentId, sourceType: "raw", composeFile: "services: {}\n" },
    });
    const composeId = compose?.composeId ?? "";
    await dokploy.POST("/compose.update", { body: { composeId, autoDeploy: false } });
    await dokploy.POST("/compose.saveEnvironment", { body: { composeId, env: "A=1" } });
    const { data: queued } = await dokploy.POST("/compose.deploy", { body: { composeId } });
    expect(queued).toEqual({ success: true, message: "Deployment queued", composeId });

    let status: string | null | undefined;
    for (let poll = 0; poll < 5 && status !== "done"; poll++) {
      const { data } = await dokploy.GET("/deployment.allByCompose", { params: { query: { composeId } } });
      status = data?.[0]?.status;
    }
    expect(status).toBe("done");
    expect(fake.state.deployCalls[0]?.snapshot?.compose).toMatchObject({ env: "A=1", autoDeploy: false });
  });

  it("retries a read after an injected 503 and gets the real answer", async () => {
    const fake = createFakeDokploy();
    server.use(...fake.handlers);
    const fault = fake.inject({ route: "/project.all", status: 503, times: 1 });
    const dokploy = createDokployClient({
      baseUrl: fake.baseUrl,
      apiKey: fake.apiKey,
      retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    });

    const { data, response } = await dokploy.GET("/project.all");
    expect(response.status).toBe(200);
    expect(data).toEqual([]);
    expect(fault.hits()).toBe(1);
  });

  it("surfaces the fake's 400 and 401 bodies through the Dokploy client", async () => {
    const fake = createFakeDokploy();
    server.use(...fake.handlers);
    const good = createDokployClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, retry: false });
    const bad = createDokployClient({ baseUrl: fake.baseUrl, apiKey: "wrong", retry: false });

    // @ts-expect-error environmentId is required, as real Dokploy requires it
    const invalid = await good.POST("/compose.create", { body: { name: "web" } });
    expect(invalid.response.status).toBe(400);
    const denied = await bad.GET("/project.all");
    expect(denied.error).toEqual({ message: "Unauthorized" });
  });

  it("reads, renews and logs in with the Vault client", async () => {
    const fake = createFakeVault({
      tokens: [{ token: "t", ttl: 60 }],
      appRoles: [{ roleName: "runner", roleId: "r", secretIds: ["s"] }],
    });
    server.use(...fake.handlers);
    fake.seed.secret("platform/prod", { A: "1" });
    const vault = createVaultClient({ address: fake.address, token: "t", retry: false });

    expect(await vault.readKv({ mount: "secret", path: "platform/prod" })).toMatchObject({
      kind: "ok",
      data: { A: "1" },
    });
    expect(await vault.readKv({ mount: "secret", path: "platform/none" })).toEqual({ kind: "missing" });
    expect((await vault.renewSelf({ increment: "1h" })).data?.auth.lease_duration).toBe(3600);
    expect((await vault.loginAppRole({ roleId: "r", secretId: "s" })).data?.auth.metadata).toEqual({
      role_name: "runner",
    });
    expect((await vault.lookupSelf()).data?.data.path).toBe("auth/approle/login");
  });
});
