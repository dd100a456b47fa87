// A tester's test: the Dokploy client against the test kit's fake Dokploy, through MSW (vitest globals).
import { createDokployClient } from "@iac/sdk";
import { createFakeDokploy } from "@iac/sdk/testing";
import { setupServer } from "msw/node";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

test("the fake Dokploy answers the client like the real one", async () => {
  const dokploy = createFakeDokploy();
  server.use(...dokploy.handlers);
  const { environment } = dokploy.seed.project({ name: "infra" });
  const web = dokploy.seed.compose({ name: "web", environmentId: environment.environmentId, sourceType: "raw" });
  const client = createDokployClient({ baseUrl: dokploy.baseUrl, apiKey: dokploy.apiKey });

  const { data, error } = await client.GET("/compose.one", { params: { query: { composeId: web.composeId } } });

  expect(error).toBeUndefined();
  expect(data?.name).toBe("web");
});
