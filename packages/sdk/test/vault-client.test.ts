import { describe, expect, test } from "vitest";
import { createVaultClient, type KvReadResult } from "../src/index.js";
import { json, recordFetch } from "./helpers/record-fetch.js";

const ADDRESS = "https://vault.example.com:8200";
const fastRetry = { attempts: 3, baseDelayMs: 0, maxDelayMs: 0 };
const METADATA = {
  created_time: "2026-01-01T00:00:00Z",
  custom_metadata: null,
  deletion_time: "",
  destroyed: false,
  version: 3,
};

function envelope(data: unknown, auth: unknown = null): Record<string, unknown> {
  return {
    request_id: "r",
    lease_id: "",
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth,
  };
}

const AUTH = {
  client_token: "hvs.new",
  accessor: "acc",
  policies: ["default", "runner"],
  token_policies: ["default", "runner"],
  metadata: { role_name: "runner" },
  lease_duration: 3600,
  renewable: true,
  entity_id: "e",
  token_type: "service",
  orphan: true,
};

describe("createVaultClient", () => {
  test.each([[ADDRESS], [`${ADDRESS}/`], [`${ADDRESS}/v1`], [`${ADDRESS}/v1/`]])(
    "address %s resolves paths under /v1",
    async (address) => {
      const { fetch, requests } = recordFetch(() => json(200, envelope({})));
      await createVaultClient({ address, token: "t", fetch }).lookupSelf();
      expect(requests[0]?.url).toBe(`${ADDRESS}/v1/auth/token/lookup-self`);
    },
  );

  test("sends the token, the namespace and X-Vault-Request", async () => {
    const { fetch, requests } = recordFetch(() => json(200, envelope({})));
    await createVaultClient({ address: ADDRESS, token: "hvs.abc", namespace: "team/", fetch }).lookupSelf();
    const headers = requests[0]?.headers;
    expect([headers?.get("x-vault-token"), headers?.get("x-vault-namespace"), headers?.get("x-vault-request")]).toEqual(
      ["hvs.abc", "team/", "true"],
    );
  });

  test("sends no token or namespace header when none is configured", async () => {
    const { fetch, requests } = recordFetch(() => json(200, envelope({})));
    await createVaultClient({ address: ADDRESS, fetch }).lookupSelf();
    expect(requests[0]?.headers.has("x-vault-token")).toBe(false);
    expect(requests[0]?.headers.has("x-vault-namespace")).toBe(false);
  });

  test("setToken replaces the token for later requests and undefined removes it", async () => {
    const { fetch, requests } = recordFetch(() => json(200, envelope({})));
    const vault = createVaultClient({ address: ADDRESS, token: "old", fetch });
    await vault.lookupSelf();
    vault.setToken("renewed");
    await vault.GET("/auth/token/lookup-self");
    vault.setToken(undefined);
    await vault.lookupSelf();
    expect(requests.map((request) => request.headers.get("x-vault-token"))).toEqual(["old", "renewed", null]);
  });

  test.each([
    [{ mount: "secret", path: "app" }, "/v1/secret/data/app"],
    [{ mount: "secret", path: "platform/staging/postgres" }, "/v1/secret/data/platform/staging/postgres"],
    [{ mount: "secret", path: "a/b c" }, "/v1/secret/data/a/b%20c"],
    [{ mount: "secret", path: "/a//b/" }, "/v1/secret/data/a/b"],
    [{ mount: "kv/team", path: "db?x#y" }, "/v1/kv/team/data/db%3Fx%23y"],
    [{ mount: "secret", path: "app", version: 2 }, "/v1/secret/data/app?version=2"],
  ])("readKv(%o) requests %s", async (options, path) => {
    const { fetch, requests } = recordFetch(() => json(200, envelope({ data: {}, metadata: METADATA })));
    await createVaultClient({ address: ADDRESS, token: "t", fetch }).readKv(options);
    expect(requests[0]?.url).toBe(`${ADDRESS}${path}`);
    expect(requests[0]?.url).not.toContain("%2F");
  });

  test.each([["a/../b"], ["./a"], ["/"], [""]])("readKv rejects the path %j", async (path) => {
    const { fetch, requests } = recordFetch(() => json(200, {}));
    await expect(createVaultClient({ address: ADDRESS, fetch }).readKv({ mount: "secret", path })).rejects.toThrow(
      TypeError,
    );
    expect(requests).toHaveLength(0);
  });

  test.each<[string, Response, KvReadResult]>([
    [
      "ok for a live secret",
      json(200, envelope({ data: { password: "p" }, metadata: METADATA })),
      { kind: "ok", data: { password: "p" }, metadata: METADATA },
    ],
    ["missing for 404 {errors: []}", json(404, { errors: [] }), { kind: "missing" }],
    [
      "deleted for a 404 envelope with data.data null",
      json(404, envelope({ data: null, metadata: { ...METADATA, deletion_time: "2026-02-01T00:00:00Z" } })),
      { kind: "deleted", metadata: { ...METADATA, deletion_time: "2026-02-01T00:00:00Z" } },
    ],
    [
      "deleted for a destroyed version",
      json(404, envelope({ data: null, metadata: { ...METADATA, destroyed: true } })),
      { kind: "deleted", metadata: { ...METADATA, destroyed: true } },
    ],
    [
      "forbidden for 403",
      json(403, { errors: ["permission denied"] }),
      { kind: "forbidden", errors: ["permission denied"] },
    ],
    [
      "error for 500",
      json(500, { errors: ["internal error"] }),
      { kind: "error", status: 500, errors: ["internal error"] },
    ],
    [
      "error for a non-JSON page",
      new Response("<html>bad gateway</html>", { status: 400 }),
      { kind: "error", status: 400, errors: [] },
    ],
  ])("readKv reports %s", async (_, answer, expected) => {
    const { fetch } = recordFetch(() => answer);
    const result = await createVaultClient({ address: ADDRESS, token: "t", fetch, retry: false }).readKv({
      mount: "secret",
      path: "app",
    });
    expect(result).toEqual(expected);
  });

  test("readKv is retried on 503", async () => {
    const { fetch, requests } = recordFetch((_, index) =>
      index === 0
        ? json(503, { errors: ["Vault is sealed"] })
        : json(200, envelope({ data: { a: 1 }, metadata: METADATA })),
    );
    const result = await createVaultClient({ address: ADDRESS, token: "t", fetch, retry: fastRetry }).readKv({
      mount: "secret",
      path: "app",
    });
    expect(result.kind).toBe("ok");
    expect(requests).toHaveLength(2);
  });

  test("loginAppRole posts the credentials without a token and then uses the new token", async () => {
    const { fetch, requests } = recordFetch((_, index) =>
      index === 0 ? json(200, envelope(null, AUTH)) : json(200, envelope({})),
    );
    const vault = createVaultClient({ address: ADDRESS, token: "expired", fetch });
    const { data } = await vault.loginAppRole({ roleId: "role", secretId: "secret" });
    await vault.lookupSelf();
    expect(data?.auth.client_token).toBe("hvs.new");
    expect(requests[0]?.url).toBe(`${ADDRESS}/v1/auth/approle/login`);
    expect(requests[0]?.method).toBe("POST");
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual({ role_id: "role", secret_id: "secret" });
    expect(requests[0]?.headers.has("x-vault-token")).toBe(false);
    expect(requests[1]?.headers.get("x-vault-token")).toBe("hvs.new");
  });

  test("loginAppRole uses a custom mount and omits an absent secret id", async () => {
    const { fetch, requests } = recordFetch(() => json(200, envelope(null, AUTH)));
    await createVaultClient({ address: ADDRESS, fetch }).loginAppRole({ mount: "ci/approle", roleId: "role" });
    expect(requests[0]?.url).toBe(`${ADDRESS}/v1/auth/ci/approle/login`);
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual({ role_id: "role" });
  });

  test("a failed login keeps the previous token and is not retried", async () => {
    const { fetch, requests } = recordFetch((_, index) =>
      index === 0 ? json(503, { errors: ["sealed"] }) : json(200, envelope({})),
    );
    const vault = createVaultClient({ address: ADDRESS, token: "old", fetch, retry: fastRetry });
    const { error, response } = await vault.loginAppRole({ roleId: "role", secretId: "s" });
    await vault.lookupSelf();
    expect([response.status, error]).toEqual([503, { errors: ["sealed"] }]);
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers.get("x-vault-token")).toBe("old");
  });

  test.each([
    [{ increment: "1h" }, { increment: "1h" }],
    [{ increment: 3600 }, { increment: 3600 }],
    [undefined, {}],
  ])("renewSelf(%o) posts %o", async (options, body) => {
    const { fetch, requests } = recordFetch(() => json(200, envelope(null, AUTH)));
    const { data } = await createVaultClient({ address: ADDRESS, token: "t", fetch }).renewSelf(options);
    expect(data?.auth.lease_duration).toBe(3600);
    expect(requests[0]?.url).toBe(`${ADDRESS}/v1/auth/token/renew-self`);
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual(body);
  });

  test("renewSelf is not retried on 503", async () => {
    const { fetch, requests } = recordFetch(() => json(503, { errors: [] }));
    await createVaultClient({ address: ADDRESS, token: "t", fetch, retry: fastRetry }).renewSelf();
    expect(requests).toHaveLength(1);
  });

  test("lookupSelf returns the token properties", async () => {
    const info = { ttl: 120, policies: ["default"], renewable: true };
    const { fetch } = recordFetch(() => json(200, envelope(info)));
    const { data } = await createVaultClient({ address: ADDRESS, token: "t", fetch }).lookupSelf();
    expect(data?.data).toEqual(info);
  });

  test.each([
    ["a relative address", { address: "vault:8200" }, "invalid address"],
    ["an empty token", { address: ADDRESS, token: "" }, "invalid token"],
  ])("rejects %s", (_, options, message) => {
    expect(() => createVaultClient(options)).toThrow(message);
  });
});
