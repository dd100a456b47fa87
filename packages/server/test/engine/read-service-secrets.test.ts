import { describe, expect, it } from "vitest";
import { composeNamed, createHarness, PG_PASSWORD, useMsw } from "./harness.js";

const server = useMsw();

describe("Vault failures fail the service with a classified reason, never as 'no secrets'", () => {
  const cases: Array<[string, { given: (h: Awaited<ReturnType<typeof createHarness>>) => void; want: string }]> = [
    ["a secret that was never written", { given: (h) => h.vault.state.secrets.clear(), want: "vault_secret_missing" }],
    [
      "a soft-deleted secret",
      {
        given: (h) => {
          const secret = h.vault.state.secrets.get(h.vault.secretKey("platform/staging/postgres"));
          const latest = secret?.versions.at(-1);
          if (latest !== undefined) {
            latest.deletionTime = "2026-01-01T00:00:00Z";
          }
        },
        want: "vault_secret_missing",
      },
    ],
    [
      "a token without a policy for the path",
      {
        given: (h) => {
          const token = h.vault.state.tokens.get(h.vault.token);
          if (token !== undefined) {
            token.allow = ["secret/data/other/*"];
          }
        },
        want: "vault_permission_denied",
      },
    ],
    ["Vault not answering", { given: (h) => h.vault.inject({ drop: true }), want: "vault_unreachable" }],
    ["Vault sealed (503)", { given: (h) => h.vault.inject({ status: 503 }), want: "vault_unreachable" }],
  ];

  it.each(cases)("%s", async (_name, { given, want }) => {
    const h = await createHarness(server);
    given(h);
    const job = await h.sync({ services: ["postgres"] });
    expect(job.state).toBe("failed");
    expect(job.services[0]?.result).toMatchObject({ status: "failed", error: { code: want } });
    expect(h.dokploy.state.deployCalls).toHaveLength(0);
    expect(composeNamed(h.dokploy, "postgres")).toBeUndefined();
  });

  it("fails with vault_unreachable when a service declares Vault paths and no Vault is configured", async () => {
    const h = await createHarness(server);
    const engine = await h.makeEngine({ vault: undefined });
    const job = await h.syncWith(engine, { services: ["postgres", "redis"], trigger: "sync" });
    const results = job.services.map((entry) => entry.result);
    expect(results.map((r) => [r?.service, r?.status, r?.error?.code])).toEqual([
      ["postgres", "failed", "vault_unreachable"],
      ["redis", "created", undefined],
    ]);
  });

  it("reads only the paths the service declares", async () => {
    const h = await createHarness(server);
    h.vault.seed.secret("platform/staging/redis", { REDIS_PASSWORD: "never-read-1234" });
    await h.sync({ services: ["redis", "postgres"] });
    const redisEnv = composeNamed(h.dokploy, "redis")?.env ?? "";
    expect(redisEnv).not.toContain("REDIS_PASSWORD");
    expect(composeNamed(h.dokploy, "postgres")?.env).toContain(`POSTGRES_PASSWORD=${PG_PASSWORD}`);
  });
});
