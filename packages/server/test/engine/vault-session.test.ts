import { describe, expect, it } from "vitest";
import { createHarness, PG_PASSWORD, useMsw } from "./harness.js";

const server = useMsw();
const APPROLE = { roleId: "role-1", secretId: "secret-id-1" };

async function appRoleHarness(ttl: number) {
  const h = await createHarness(server, {
    vault: {
      appRoles: [
        {
          roleName: "iac-runner",
          roleId: APPROLE.roleId,
          secretIds: [APPROLE.secretId],
          allow: ["secret/data/*"],
          ttl,
        },
      ],
    },
  });
  const logins = (): number =>
    [...h.vault.state.tokens.values()].filter((token) => token.path.startsWith("auth/approle/login")).length;
  return { h, logins };
}

describe("Vault session", () => {
  it("logs in with AppRole and reads the service's secrets", async () => {
    const { h, logins } = await appRoleHarness(3600);
    const engine = await h.makeEngine({ vault: { address: h.vault.address, appRole: APPROLE, retry: false } });
    const job = await h.syncWith(engine, { services: ["postgres"], trigger: "sync" });
    expect(job.services[0]?.result?.status).toBe("created");
    expect(logins()).toBe(1);
    expect(h.dokploy.state.composes.size).toBe(1);
    expect([...h.dokploy.state.composes.values()][0]?.env).toContain(PG_PASSWORD);
  });

  it("logs in again once the token is near expiry and cannot be renewed any more", async () => {
    const { h, logins } = await appRoleHarness(60);
    const engine = await h.makeEngine({ vault: { address: h.vault.address, appRole: APPROLE, retry: false } });
    await h.syncWith(engine, { services: ["postgres"], trigger: "sync" });
    for (const token of h.vault.state.tokens.values()) {
      token.renewable = false;
    }
    h.dokploy.clock.advance(10 * 60_000);
    const job = await h.syncWith(engine, { services: ["postgres"], trigger: "deploy" });
    expect(job.services[0]?.result?.status).toBe("skipped");
    expect(logins()).toBe(2);
  });

  it("renews a renewable token once two thirds of its lease have passed, without a new login", async () => {
    const { h, logins } = await appRoleHarness(60);
    const engine = await h.makeEngine({ vault: { address: h.vault.address, appRole: APPROLE, retry: false } });
    await h.syncWith(engine, { services: ["postgres"], trigger: "sync" });
    const [token] = [...h.vault.state.tokens.values()].filter((t) => t.path.startsWith("auth/approle/login"));
    const expiry = token?.expiresAt ?? 0;
    h.dokploy.clock.advance(45_000);
    const job = await h.syncWith(engine, { services: ["postgres"], trigger: "deploy" });
    expect(job.services[0]?.result?.status).toBe("skipped");
    expect(logins()).toBe(1);
    expect(token?.expiresAt ?? 0).toBeGreaterThan(expiry);
  });

  it("logs in again when a read answers 403 because the token was revoked", async () => {
    const { h, logins } = await appRoleHarness(3600);
    const engine = await h.makeEngine({ vault: { address: h.vault.address, appRole: APPROLE, retry: false } });
    await h.syncWith(engine, { services: ["postgres"], trigger: "sync" });
    for (const [token, info] of h.vault.state.tokens) {
      if (info.path.startsWith("auth/approle/login")) {
        h.vault.state.tokens.delete(token);
      }
    }
    const job = await h.syncWith(engine, { services: ["postgres"], trigger: "deploy", delivery: "delivery-403" });
    expect(job.services[0]?.result?.status).toBe("skipped");
    expect(logins()).toBe(1);
    const relogin = h.lines.find((line) => line.msg === "Vault answered 403, logging in again");
    expect(relogin?.fields).toMatchObject({
      delivery: "delivery-403",
      env: "staging",
      service: "postgres",
      commit: h.base,
    });
  });

  it("classifies a refused AppRole login as vault_permission_denied", async () => {
    const { h } = await appRoleHarness(3600);
    const engine = await h.makeEngine({
      vault: { address: h.vault.address, appRole: { ...APPROLE, secretId: "wrong" }, retry: false },
    });
    const job = await h.syncWith(engine, { services: ["postgres"], trigger: "sync" });
    expect(job.services[0]?.result?.error?.code).toBe("vault_permission_denied");
  });
});
