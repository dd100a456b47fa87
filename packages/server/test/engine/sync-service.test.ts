import { CONFIG_HASH_KEY, legacyConfigHash, mergeEnv, readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
import type { DeployMarker } from "../../src/types.js";
import {
  BASE_FILES,
  CONFIG,
  composeNamed,
  createHarness,
  PG_PASSWORD,
  POSTGRES_COMPOSE,
  REDIS_COMPOSE,
  useMsw,
} from "./harness.js";
import { createDokployTap, envOf, envValue } from "./sync-service-helpers.js";

const server = useMsw();

describe("syncService", () => {
  it("creates a missing project, environment and compose, deploys, and records the hash only after done", async () => {
    const h = await createHarness(server);
    const result = await h.syncOne("postgres");

    expect(result).toMatchObject({ service: "postgres", status: "created", hashBefore: null });
    expect(result.hashAfter).toMatch(/^v2:[0-9a-f]{64}$/);
    const project = [...h.dokploy.state.projects.values()].find((p) => p.name === "platform");
    const environment = [...h.dokploy.state.environments.values()].find(
      (e) => e.projectId === project?.projectId && e.name === "staging",
    );
    const compose = composeNamed(h.dokploy, "postgres");
    expect(compose?.environmentId).toBe(environment?.environmentId);
    expect(compose?.sourceType).toBe("raw");
    expect(readStoredHash(compose?.env)).toBe(result.hashAfter);
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(result.dokployDeploymentId).toBe(h.dokploy.state.deployCalls[0]?.deploymentId);
    expect(result.composeId).toBe(compose?.composeId);
    const env = envOf(compose?.env);
    expect(env).toMatchObject({
      ENV: "staging",
      ENV_SUFFIX: "-staging",
      ENV_DOMAIN_SUFFIX: "-staging",
      DATA_PATH: "/data/platform/postgres-staging",
      VAULT_ADDR: h.vault.address,
      POSTGRES_DB: "app",
      POSTGRES_PASSWORD: PG_PASSWORD,
    });
    // The hash was not in the env the deploy ran with: it is written only after the deploy finished.
    expect(h.dokploy.state.deployCalls[0]?.snapshot?.compose.env ?? "").not.toContain(CONFIG_HASH_KEY);
  });

  it("uses the production environment that project.create makes, without creating another one", async () => {
    const h = await createHarness(server);
    const result = await h.syncOne("redis", { env: "production" });
    expect(result.status).toBe("created");
    const environments = [...h.dokploy.state.environments.values()];
    expect(environments.map((e) => e.name)).toEqual(["production"]);
    expect(composeNamed(h.dokploy, "redis")?.environmentId).toBe(environments[0]?.environmentId);
    // The original runner's production values, which its compose files rely on (data folder, container names).
    expect(envOf(composeNamed(h.dokploy, "redis")?.env)).toMatchObject({
      ENV: "production",
      ENV_SUFFIX: "",
      ENV_DOMAIN_SUFFIX: "",
      DATA_PATH: "/data/platform/redis",
    });
  });

  it("uses the project, environment and compose names that iac.config.yaml overrides", async () => {
    const h = await createHarness(server);
    const next = await h.commit({
      "iac.config.yaml": `${CONFIG}  redis:\n    dokploy:\n      project: infra\n      environment: "stage-{env}"\n      compose: cache\n`,
    });
    await h.syncOne("redis", { commit: next });
    const compose = composeNamed(h.dokploy, "cache");
    const environment = h.dokploy.state.environments.get(compose?.environmentId ?? "");
    expect(environment?.name).toBe("stage-staging");
    expect(h.dokploy.state.projects.get(environment?.projectId ?? "")?.name).toBe("infra");
  });

  it("skips a service whose stored hash matches, then updates it when one of its files changes", async () => {
    const h = await createHarness(server);
    await h.syncOne("postgres");
    const again = await h.syncOne("postgres");
    expect(again).toMatchObject({ status: "skipped" });
    expect(again.hashBefore).toBe(again.hashAfter);

    const next = await h.commit({ "platform/01.postgres/init.sql": "create table b (id int);\n" });
    const changed = await h.syncOne("postgres", { commit: next });
    expect(changed).toMatchObject({ status: "updated" });
    expect(changed.hashAfter).not.toBe(changed.hashBefore);
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
  });

  it("reads the stored hash with compose.one, so a second sync skips although project.all lists no env", async () => {
    const h = await createHarness(server);
    await h.syncOne("redis");
    const second = await h.syncOne("redis");
    expect(second.status).toBe("skipped");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("records no hash after a failed deploy, reports failed, and deploys again on the next sync", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "auto", outcome: "error" } } });
    const failed = await h.syncOne("redis");
    expect(failed).toMatchObject({ status: "failed", error: { code: "deploy_failed" } });
    expect(failed.dokployDeploymentId).toBeDefined();
    expect(failed.error?.message).toContain(`deployment ${failed.dokployDeploymentId}: expected status "done"`);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBeNull();

    h.dokploy.configureDeploys({ outcome: "done" });
    const retried = await h.syncOne("redis");
    expect(retried.status).toBe("updated");
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBe(retried.hashAfter);
  });

  it("clears the previous hash before deploying, so a failed update is not mistaken for the old content", async () => {
    const h = await createHarness(server);
    await h.syncOne("redis");
    h.dokploy.configureDeploys({ outcome: "error" });
    const next = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
    await h.syncOne("redis", { commit: next });
    h.dokploy.configureDeploys({ outcome: "done" });
    const back = await h.syncOne("redis");
    expect(back.status).toBe("updated");
  });

  it("keeps env keys it does not manage and removes keys it managed before but no longer sets", async () => {
    const h = await createHarness(server);
    const { project } = h.dokploy.seed.project({ name: "platform" });
    const staging = h.dokploy.seed.environment({ name: "staging", projectId: project.projectId });
    h.dokploy.seed.compose({
      name: "postgres",
      environmentId: staging.environmentId,
      env: "# added by ops\nS3_ACCESS_KEY=foreign-key\nOLD_SETTING=1\nIAC_MANAGED_KEYS=OLD_SETTING\n",
      autoDeploy: true,
    });
    const result = await h.syncOne("postgres");
    expect(result.status).toBe("updated");
    const text = composeNamed(h.dokploy, "postgres")?.env ?? "";
    expect(text).toContain("# added by ops\n");
    expect(envValue(text, "S3_ACCESS_KEY")).toBe("foreign-key");
    expect(envOf(text)).not.toHaveProperty("OLD_SETTING");
    expect(envValue(text, "POSTGRES_PASSWORD")).toBe(PG_PASSWORD);
    expect(envValue(text, "IAC_MANAGED_KEYS")?.split(",")).toContain("POSTGRES_PASSWORD");
  });

  it("always leaves autoDeploy off: on new composes and on existing ones, even when nothing is deployed", async () => {
    const h = await createHarness(server);
    await h.syncOne("redis");
    expect(composeNamed(h.dokploy, "redis")?.autoDeploy).toBe(false);

    const id = composeNamed(h.dokploy, "redis")?.composeId ?? "";
    const row = h.dokploy.state.composes.get(id);
    if (row !== undefined) {
      row.autoDeploy = true;
    }
    const skipped = await h.syncOne("redis");
    expect(skipped.status).toBe("skipped");
    expect(composeNamed(h.dokploy, "redis")?.autoDeploy).toBe(false);
  });

  it("deploys the compose text and mounted files of the requested commit, not of a newer one", async () => {
    const h = await createHarness(server);
    const newer = await h.commit({
      "platform/01.postgres/init.sql": "create table newer (id int);\n",
      "platform/01.postgres/compose.yaml": POSTGRES_COMPOSE.replace("postgres:16", "postgres:17"),
    });
    expect(newer).not.toBe(h.base);
    await h.syncOne("postgres", { commit: h.base });

    const snapshot = h.dokploy.state.deployCalls[0]?.snapshot;
    expect(snapshot?.compose.sourceType).toBe("raw");
    expect(snapshot?.compose.composeFile).toContain("image: postgres:16");
    expect(snapshot?.compose.composeFile).toContain(
      "../files/platform/01.postgres/init.sql:/docker-entrypoint-initdb.d/init.sql:ro",
    );
    expect(snapshot?.compose.composeFile).toContain("env_file: ../files/platform/01.postgres/pg.env");
    const mounts = Object.fromEntries((snapshot?.mounts ?? []).map((m) => [m.filePath, m.content]));
    expect(mounts).toEqual({
      "platform/01.postgres/init.sql": BASE_FILES["platform/01.postgres/init.sql"],
      "platform/01.postgres/pg.env": BASE_FILES["platform/01.postgres/pg.env"],
    });
    expect(snapshot?.mounts.every((m) => m.type === "file" && m.serviceType === "compose")).toBe(true);
  });

  it("updates changed mounts, removes stale runner mounts and leaves mounts added by hand alone", async () => {
    const h = await createHarness(server);
    await h.syncOne("postgres");
    const composeId = composeNamed(h.dokploy, "postgres")?.composeId ?? "";
    h.dokploy.seed.mount({
      type: "file",
      mountPath: "/etc/custom.conf",
      filePath: "custom.conf",
      content: "by hand",
      serviceType: "compose",
      composeId,
    });
    const next = await h.commit({
      "platform/01.postgres/compose.yaml": POSTGRES_COMPOSE.replace("    env_file: ./pg.env\n", ""),
      "platform/01.postgres/init.sql": "create table c (id int);\n",
    });
    await h.syncOne("postgres", { commit: next });

    const mounts = [...h.dokploy.state.mounts.values()].filter((m) => m.composeId === composeId);
    expect(Object.fromEntries(mounts.map((m) => [m.filePath, m.content]))).toEqual({
      "platform/01.postgres/init.sql": "create table c (id int);\n",
      "custom.conf": "by hand",
    });
  });

  it("recognises the hash stored by the original runner, skips, and upgrades it so later file changes deploy", async () => {
    const h = await createHarness(server);
    const { project } = h.dokploy.seed.project({ name: "platform" });
    const staging = h.dokploy.seed.environment({ name: "staging", projectId: project.projectId });
    const legacy = legacyConfigHash(REDIS_COMPOSE, {
      ENV: "staging",
      ENV_SUFFIX: "-staging",
      ENV_DOMAIN_SUFFIX: "-staging",
      DATA_PATH: "/data/platform/redis-staging",
      VAULT_ADDR: h.vault.address,
    });
    h.dokploy.seed.compose({
      name: "redis",
      environmentId: staging.environmentId,
      env: `BACKUP_TOKEN=kept\nIAC_CONFIG_HASH=${legacy}\n`,
    });
    const result = await h.syncOne("redis");
    expect(result).toMatchObject({ status: "skipped", hashBefore: legacy });
    expect(h.dokploy.state.deployCalls).toHaveLength(0);
    const stored = composeNamed(h.dokploy, "redis")?.env;
    expect(stored).toBe(`BACKUP_TOKEN=kept\nIAC_CONFIG_HASH=${result.hashAfter}\n`);

    // A file the original recipe never hashed: the compose and plain env (the legacy inputs) are unchanged.
    const next = await h.commit({ "platform/02.redis/redis.conf": "maxmemory 256mb\n" });
    const second = await h.syncOne("redis", { commit: next });
    expect(second.status).toBe("updated");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("redeploys when a Vault secret is rotated, although no file changed", async () => {
    const h = await createHarness(server);
    const first = await h.syncOne("postgres");
    h.vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: "rotated-password-91" });
    const second = await h.syncOne("postgres");
    expect(second.status).toBe("updated");
    expect(second.hashAfter).not.toBe(first.hashAfter);
    expect(envValue(composeNamed(h.dokploy, "postgres")?.env, "POSTGRES_PASSWORD")).toBe("rotated-password-91");
  });

  it("fails with deploy_timeout when the deployment never finishes, and records nothing", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "stuck" } } });
    const result = await h.syncOne("redis");
    expect(result).toMatchObject({ status: "failed", error: { code: "deploy_timeout" } });
    expect(result.dokployDeploymentId).toBeDefined();
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBeNull();
  });

  it("never throws: a missing Vault secret is a classified failed result before anything changes in Dokploy", async () => {
    const h = await createHarness(server, { seedSecret: false });
    const result = await h.syncOne("postgres");
    expect(result).toMatchObject({ status: "failed", error: { code: "vault_secret_missing" } });
    expect(h.dokploy.state.composes.size).toBe(0);
  });
});

describe("syncService write order", () => {
  /** Postgres deployed at the base commit, then a commit that changes its compose text and a mounted file. */
  async function changedService() {
    const tap = createDokployTap();
    const h = await createHarness(server, { engine: { fetch: tap.fetch } });
    const first = await h.syncOne("postgres");
    const next = await h.commit({
      "platform/01.postgres/compose.yaml": POSTGRES_COMPOSE.replace("postgres:16", "postgres:17"),
      "platform/01.postgres/init.sql": "create table d (id int);\n",
    });
    tap.calls.length = 0;
    return { h, tap, first, next };
  }

  it("removes only the old hash first, then writes content, then the marker, deploy, and the hash last", async () => {
    const { h, tap, first, next } = await changedService();
    const before = structuredClone(composeNamed(h.dokploy, "postgres"));
    const seen: Array<{ name: string; env: string | null; composeFile: string | null; deploys: number }> = [];
    tap.after = (call) => {
      const compose = composeNamed(h.dokploy, "postgres");
      seen.push({
        name: call.name,
        env: compose?.env ?? null,
        composeFile: compose?.composeFile ?? null,
        deploys: h.dokploy.state.deployCalls.length,
      });
    };
    const markers: Array<{ marker: DeployMarker; at: number; deploys: number }> = [];
    const onDeploy = async (marker: DeployMarker): Promise<void> => {
      markers.push({ marker, at: tap.calls.length, deploys: h.dokploy.state.deployCalls.length });
    };
    const result = await h.syncOne("postgres", { commit: next, onDeploy });

    expect(result).toMatchObject({ status: "updated", hashBefore: first.hashAfter });
    expect(tap.names()).toEqual([
      "GET project.all",
      "GET compose.one",
      "POST compose.saveEnvironment",
      "POST compose.update",
      "POST mounts.update",
      "POST compose.saveEnvironment",
      "GET deployment.allByCompose",
      "POST compose.deploy",
      "GET deployment.allByCompose",
      "GET deployment.allByCompose",
      "GET compose.one",
      "POST compose.saveEnvironment",
    ]);
    // The first write removes the hash and changes nothing else.
    expect(seen[2]?.env).toBe(mergeEnv(before?.env ?? "", {}, { managedKeys: [CONFIG_HASH_KEY] }));
    expect(seen[2]?.composeFile).toBe(before?.composeFile);
    // Every later write before the last leaves no hash behind.
    for (const step of seen.slice(2, -1)) {
      expect(readStoredHash(step.env)).toBeNull();
    }
    expect(readStoredHash(seen.at(-1)?.env)).toBe(result.hashAfter);
    // The marker is handed over after the deployment listing and before compose.deploy.
    expect(markers).toHaveLength(1);
    expect(markers[0]).toMatchObject({ at: 7, deploys: 1 });
    const known = [...h.dokploy.state.deployments.values()]
      .filter((row) => row.deploymentId !== result.dokployDeploymentId)
      .map((row) => row.deploymentId);
    expect(markers[0]?.marker).toEqual({
      composeId: result.composeId,
      hash: result.hashAfter,
      knownDeployments: known,
      created: false,
    });
  });

  it("writes no invalidating env for a compose it creates (there is no old hash to remove)", async () => {
    const tap = createDokployTap();
    const h = await createHarness(server, { engine: { fetch: tap.fetch } });
    await h.syncOne("redis");
    expect(tap.names().filter((name) => name === "POST compose.saveEnvironment")).toHaveLength(2);
  });

  it("fails with store_unavailable and never calls compose.deploy when the marker cannot be saved", async () => {
    const { h, next } = await changedService();
    const result = await h.syncOne("postgres", {
      commit: next,
      onDeploy: () => Promise.reject(new Error("database is locked")),
    });
    expect(result).toMatchObject({ status: "failed", error: { code: "store_unavailable" } });
    expect(result.error?.message).not.toContain("database is locked");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(readStoredHash(composeNamed(h.dokploy, "postgres")?.env)).toBeNull();
  });

  it("records no hash, warns and still reports updated when a managed value was edited during the deploy", async () => {
    const { h, tap, next } = await changedService();
    tap.after = (call) => {
      const compose = composeNamed(h.dokploy, "postgres");
      if (call.name === "POST compose.deploy" && compose !== undefined) {
        compose.env = mergeEnv(compose.env ?? "", { POSTGRES_DB: "edited-by-hand" }, { managedKeys: [] });
      }
    };
    const result = await h.syncOne("postgres", { commit: next });
    expect(result.status).toBe("updated");
    expect(readStoredHash(composeNamed(h.dokploy, "postgres")?.env)).toBeNull();
    expect(envValue(composeNamed(h.dokploy, "postgres")?.env, "POSTGRES_DB")).toBe("edited-by-hand");
    const warning = h.lines.find((line) => line.level === "warn" && line.msg?.includes("no hash recorded"));
    expect(warning?.fields).toMatchObject({ keys: ["POSTGRES_DB"] });
  });

  it("records the hash and keeps the edit when only a foreign key was edited during the deploy", async () => {
    const { h, tap, next } = await changedService();
    tap.after = (call) => {
      const compose = composeNamed(h.dokploy, "postgres");
      if (call.name === "POST compose.deploy" && compose !== undefined) {
        compose.env = mergeEnv(compose.env ?? "", { S3_TOKEN: "added-meanwhile" }, { managedKeys: [] });
      }
    };
    const result = await h.syncOne("postgres", { commit: next });
    const env = composeNamed(h.dokploy, "postgres")?.env;
    expect(readStoredHash(env)).toBe(result.hashAfter);
    expect(envValue(env, "S3_TOKEN")).toBe("added-meanwhile");
  });
});

describe("syncService error messages", () => {
  // A cut to 200 characters before masking would keep "pg-passwo" of a secret starting at character 195.
  const padded = (prefix: string): string => `${prefix}${"x".repeat(195 - prefix.length)}${PG_PASSWORD} and more`;
  const leaks = (text: string): boolean => text.includes(PG_PASSWORD.slice(0, 4));

  it("masks a secret that a deployment's errorMessage echoes, even where a cut at 200 characters would split it", async () => {
    const errorMessage = padded("psql: ");
    expect(errorMessage.indexOf(PG_PASSWORD)).toBe(195);
    const h = await createHarness(server, { dokploy: { deploy: { mode: "auto", outcome: "error", errorMessage } } });
    const result = await h.syncOne("postgres");
    expect(result.error?.code).toBe("deploy_failed");
    expect(result.error?.message).toContain("x[reda…");
    expect(result.error?.message.endsWith('…"')).toBe(true);
    expect(leaks(JSON.stringify(result))).toBe(false);
    expect(h.lines.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(h.lines))).toBe(false);
  });

  it.each([
    ["a tRPC error message", (text: string) => ({ message: text, code: "BAD_REQUEST" })],
    ["a text body (a proxy page)", (text: string) => text],
  ])("masks a secret that %s of Dokploy echoes before shortening it", async (_name, body) => {
    const h = await createHarness(server);
    h.dokploy.inject({ route: "/compose.update", status: 400, body: body(padded("bad value ")) });
    const result = await h.syncOne("postgres");
    expect(result).toMatchObject({ status: "failed", error: { code: "dokploy_error" } });
    expect(result.error?.message).toMatch(
      /^\[@iac\/server\] Dokploy compose\.update: expected success, received 400: "bad value x+\[reda…"$/,
    );
    expect(leaks(JSON.stringify(result))).toBe(false);
    expect(leaks(JSON.stringify(h.lines))).toBe(false);
  });

  it("shows a short upstream message whole", async () => {
    const h = await createHarness(server, {
      dokploy: { deploy: { mode: "auto", outcome: "error", errorMessage: `psql: password ${PG_PASSWORD} rejected` } },
    });
    const result = await h.syncOne("postgres");
    expect(result.error?.message).toMatch(/: "psql: password \[redacted\] rejected"$/);
  });
});
