import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeVault } from "../../src/testing/index.js";
import type { FakeVaultOptions } from "../../src/testing/types.js";
import { createVaultApi } from "./vault-api.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function start(options: FakeVaultOptions = {}) {
  const fake = createFakeVault(options);
  server.use(...fake.handlers);
  return { fake, api: createVaultApi(fake) };
}

const ENVELOPE_KEYS = [
  "request_id",
  "lease_id",
  "renewable",
  "lease_duration",
  "data",
  "wrap_info",
  "warnings",
  "auth",
];

describe("fake Vault KV v2", () => {
  it("writes versions, reads the latest or a given version, and soft-deletes", async () => {
    const { fake, api } = start();
    const first = await api.call("POST", "secret/data/app/prod", { body: { data: { A: "1" } } });
    expect(first).toMatchObject({ status: 200, body: { data: { version: 1, deletion_time: "", destroyed: false } } });
    expect(Object.keys(first.body as object)).toEqual(expect.arrayContaining(ENVELOPE_KEYS));
    await api.call("POST", "secret/data/app/prod", { body: { data: { A: "2" } } });

    expect(await api.call("GET", "secret/data/app/prod")).toMatchObject({
      status: 200,
      body: { data: { data: { A: "2" }, metadata: { version: 2 } } },
    });
    expect(await api.call("GET", "secret/data/app/prod?version=1")).toMatchObject({
      body: { data: { data: { A: "1" }, metadata: { version: 1 } } },
    });

    fake.clock.advance(5000);
    expect((await api.call("DELETE", "secret/data/app/prod")).status).toBe(204);
    const deleted = await api.call("GET", "secret/data/app/prod");
    expect(deleted).toMatchObject({
      status: 404,
      body: { data: { data: null, metadata: { version: 2, deletion_time: fake.clock.iso() } } },
    });
    expect(Object.keys(deleted.body as object)).toEqual(expect.arrayContaining(ENVELOPE_KEYS));
    expect((await api.call("GET", "secret/data/app/prod?version=1")).status).toBe(200);

    await api.call("POST", "secret/undelete/app/prod", { body: { versions: [2] } });
    expect((await api.call("GET", "secret/data/app/prod")).status).toBe(200);
    await api.call("POST", "secret/destroy/app/prod", { body: { versions: [2] } });
    expect(await api.call("GET", "secret/data/app/prod")).toMatchObject({
      status: 404,
      body: { data: { data: null, metadata: { destroyed: true } } },
    });
    expect(fake.state.secrets.get(fake.secretKey("app/prod"))?.versions.map((v) => v.data)).toEqual([{ A: "1" }, null]);
    expect(api.contract.violations).toEqual([]);
  });

  it.each([
    ["a path never written", "secret/data/nothing"],
    ["a version that does not exist", "secret/data/app?version=9"],
  ])("answers a read of %s with 404 and an empty errors list", async (_name, path) => {
    const { fake, api } = start();
    fake.seed.secret("app", { A: "1" });
    expect(await api.call("GET", path)).toEqual({ status: 404, body: { errors: [] } });
    expect(api.contract.violations).toEqual([]);
  });

  it.each([
    ["abc", "app"],
    ["1.5", "app"],
    ["1e2", "app"],
    ["abc", "nothing"],
  ])("answers ?version=%s on %s with 400 and Vault's field validation error", async (version, path) => {
    const { fake, api } = start();
    fake.seed.secret("app", { A: "1" });
    expect(await api.call("GET", `secret/data/${path}?version=${version}`)).toEqual({
      status: 400,
      body: {
        errors: [
          expect.stringContaining(`Field validation failed: error converting input ${version} for field "version"`),
        ],
      },
    });
    expect(api.contract.checked).toEqual(["GET /{kv_v2_mount_path}/data/{path} 400"]);
    expect(api.contract.violations).toEqual([]);
  });

  it.each(["0", "-1", ""])("reads the latest version for ?version=%j, as Vault does", async (version) => {
    const { fake, api } = start();
    fake.seed.secret("app", { A: "1" });
    fake.seed.secret("app", { A: "2" });
    expect(await api.call("GET", `secret/data/app?version=${version}`)).toMatchObject({
      status: 200,
      body: { data: { data: { A: "2" }, metadata: { version: 2 } } },
    });
    expect(api.contract.violations).toEqual([]);
  });

  it("enforces check-and-set and rejects writes without data", async () => {
    const { fake, api } = start();
    fake.seed.secret("app", { A: "1" });
    const conflict = await api.call("POST", "secret/data/app", { body: { data: { A: "2" }, options: { cas: 0 } } });
    expect(conflict).toEqual({
      status: 400,
      body: { errors: ["check-and-set parameter did not match the current version"] },
    });
    expect(
      (await api.call("POST", "secret/data/app", { body: { data: { A: "2" }, options: { cas: 1 } } })).status,
    ).toBe(200);
    expect(await api.call("POST", "secret/data/app", { body: {} })).toEqual({
      status: 400,
      body: { errors: ["no data provided"] },
    });
    expect(api.contract.violations).toEqual([]);
  });

  it("patches the latest version with a JSON merge patch only", async () => {
    const { fake, api } = start();
    fake.seed.secret("app", { A: "1", B: "2" });
    const wrongType = await api.call("PATCH", "secret/data/app", { body: { data: { A: "x" } } });
    expect(wrongType.status).toBe(415);
    const patched = await api.call("PATCH", "secret/data/app", {
      body: { data: { A: "3", B: null } },
      headers: { "content-type": "application/merge-patch+json" },
    });
    expect(patched).toMatchObject({ status: 200, body: { data: { version: 2 } } });
    expect((await api.call("GET", "secret/data/app")).body).toMatchObject({ data: { data: { A: "3" } } });
    expect(api.contract.violations).toEqual([]);
  });

  it("reports versions in the metadata endpoint", async () => {
    const { fake, api } = start();
    fake.seed.secret("app", { A: "1" });
    fake.seed.secret("app", { A: "2" });
    expect(await api.call("GET", "secret/metadata/app")).toMatchObject({
      status: 200,
      body: { data: { current_version: 2, versions: { "1": { destroyed: false }, "2": { destroyed: false } } } },
    });
    expect(api.contract.violations).toEqual([]);
  });

  it.each([
    ["LIST", "secret/metadata/app"],
    ["GET", "secret/metadata/app?list=true"],
  ])("lists the keys under a folder with %s", async (method, path) => {
    const { fake, api } = start();
    for (const name of ["app/b", "app/a", "app/nested/c", "other"]) {
      fake.seed.secret(name, { A: "1" });
    }
    expect(await api.call(method, path)).toMatchObject({
      status: 200,
      body: { data: { keys: ["a", "b", "nested/"] } },
    });
    expect(await api.call(method, path.replace("app", "none"))).toEqual({ status: 404, body: { errors: [] } });
  });

  it("keeps secrets apart per namespace header", async () => {
    const { fake, api } = start();
    fake.seed.secret("app", { WHERE: "ns1" }, { namespace: "ns1/" });
    expect((await api.call("GET", "secret/data/app")).status).toBe(404);
    const namespaced = await api.call("GET", "secret/data/app", { headers: { "x-vault-namespace": "ns1" } });
    expect(namespaced.body).toMatchObject({ data: { data: { WHERE: "ns1" } } });
  });

  it("accepts a %2F-encoded secret path like a nested one", async () => {
    const { fake, api } = start();
    fake.seed.secret("app/prod", { A: "1" });
    expect((await api.call("GET", "secret/data/app%2Fprod")).status).toBe(200);
  });
});

describe("fake Vault tokens and policies", () => {
  it.each([
    ["no token", null],
    ["an unknown token", "nope"],
  ])("answers a KV read with %s with 403 permission denied", async (_name, token) => {
    const { api } = start();
    expect(await api.call("GET", "secret/data/app", { token })).toEqual({
      status: 403,
      body: { errors: ["permission denied"] },
    });
    expect(api.contract.violations).toEqual([]);
  });

  it("accepts the token as Authorization: Bearer too", async () => {
    const { fake, api } = start();
    fake.seed.secret("app", { A: "1" });
    const response = await api.call("GET", "secret/data/app", {
      token: null,
      headers: { authorization: `Bearer ${fake.token}` },
    });
    expect(response.status).toBe(200);
  });

  it("allows only the token's path patterns", async () => {
    const { fake, api } = start({ tokens: [{ token: "scoped", allow: ["secret/data/app/*", "secret/data/exact"] }] });
    fake.seed.secret("app/prod", { A: "1" });
    fake.seed.secret("exact", { A: "1" });
    fake.seed.secret("other", { A: "1" });
    const read = (path: string) => api.call("GET", `secret/data/${path}`, { token: "scoped" });
    expect((await read("app/prod")).status).toBe(200);
    expect((await read("exact")).status).toBe(200);
    expect(await read("other")).toEqual({ status: 403, body: { errors: ["permission denied"] } });
    expect((await api.call("GET", "secret/metadata/app/prod", { token: "scoped" })).status).toBe(403);
  });

  it("expires a token on the fake clock and renews it", async () => {
    const { fake, api } = start({ tokens: [{ token: "short", ttl: 60 }] });
    const lookup = await api.call("GET", "auth/token/lookup-self", { token: "short" });
    expect(lookup).toMatchObject({ status: 200, body: { data: { id: "short", ttl: 60, renewable: true } } });

    fake.clock.advance(30_000);
    const renewed = await api.call("POST", "auth/token/renew-self", { token: "short", body: { increment: "2m" } });
    expect(renewed).toMatchObject({
      status: 200,
      body: { data: null, auth: { client_token: "short", lease_duration: 120 } },
    });
    fake.clock.advance(90_000);
    expect((await api.call("GET", "auth/token/lookup-self", { token: "short" })).body).toMatchObject({
      data: { ttl: 30 },
    });

    fake.clock.advance(30_000);
    expect(await api.call("GET", "auth/token/lookup-self", { token: "short" })).toEqual({
      status: 403,
      body: { errors: ["permission denied"] },
    });
    expect(api.contract.violations).toEqual([]);
  });

  it("caps a renewal at the explicit max TTL with a warning", async () => {
    const { api } = start({ tokens: [{ token: "capped", ttl: 60, explicitMaxTtl: 100 }] });
    const renewed = await api.call("POST", "auth/token/renew-self", { token: "capped", body: { increment: 3600 } });
    expect(renewed.body).toMatchObject({
      auth: { lease_duration: 100 },
      warnings: [expect.stringContaining("capped")],
    });
    expect(api.contract.violations).toEqual([]);
  });

  it("refuses to renew a token that never expires", async () => {
    const { api } = start();
    expect(await api.call("POST", "auth/token/renew-self", { body: {} })).toEqual({
      status: 400,
      body: { errors: ["lease is not renewable"] },
    });
  });
});

describe("fake Vault AppRole", () => {
  const appRoles = [
    { roleName: "runner", roleId: "role-1", secretIds: ["secret-1"], allow: ["secret/data/app"], ttl: 600 },
  ];

  it("logs in with a valid role and secret id and issues a scoped token", async () => {
    const { fake, api } = start({ appRoles });
    fake.seed.secret("app", { A: "1" });
    const login = await api.call("POST", "auth/approle/login", {
      token: null,
      body: { role_id: "role-1", secret_id: "secret-1" },
    });
    expect(login).toMatchObject({
      status: 200,
      body: { data: null, auth: { lease_duration: 600, metadata: { role_name: "runner" }, renewable: true } },
    });
    const token = (login.body as { auth: { client_token: string } }).auth.client_token;
    expect((await api.call("GET", "secret/data/app", { token })).status).toBe(200);
    expect((await api.call("GET", "secret/data/other", { token })).status).toBe(403);
    expect(api.contract.violations).toEqual([]);
  });

  it.each([
    ["a wrong secret id", { role_id: "role-1", secret_id: "wrong" }, "invalid role or secret ID"],
    ["an unknown role id", { role_id: "role-x", secret_id: "secret-1" }, "invalid role or secret ID"],
    ["no role id", { secret_id: "secret-1" }, "missing role_id"],
  ])("answers a login with %s with 400", async (_name, body, message) => {
    const { api } = start({ appRoles });
    expect(await api.call("POST", "auth/approle/login", { token: null, body })).toEqual({
      status: 400,
      body: { errors: [message] },
    });
    expect(api.contract.violations).toEqual([]);
  });
});
