import { CONFIG_HASH_KEY, legacyConfigHash, parseDotenv, readStoredHash } from "@iac/sync";
import { describe, expect, it } from "vitest";
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

const server = useMsw();

const envOf = (text: string | null | undefined): Record<string, string> =>
  Object.fromEntries(parseDotenv(text ?? "").map(({ key, value }) => [key, value]));
const envValue = (text: string | null | undefined, key: string): string | undefined =>
  parseDotenv(text ?? "").findLast((entry) => entry.key === key)?.value;

describe("syncService", () => {
  it("creates a missing project, environment and compose, deploys, and records the hash only after done", async () => {
    const h = await createHarness(server);
    const job = await h.sync({ services: ["postgres"] });

    expect(job.state).toBe("succeeded");
    const [result] = job.results;
    expect(result).toMatchObject({ service: "postgres", status: "created", hashBefore: null });
    expect(result?.hashAfter).toMatch(/^v2:[0-9a-f]{64}$/);
    const project = [...h.dokploy.state.projects.values()].find((p) => p.name === "platform");
    const environment = [...h.dokploy.state.environments.values()].find(
      (e) => e.projectId === project?.projectId && e.name === "staging",
    );
    const compose = composeNamed(h.dokploy, "postgres");
    expect(compose?.environmentId).toBe(environment?.environmentId);
    expect(compose?.sourceType).toBe("raw");
    expect(readStoredHash(compose?.env)).toBe(result?.hashAfter);
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
    expect(result?.dokployDeploymentId).toBe(h.dokploy.state.deployCalls[0]?.deploymentId);
    const env = envOf(compose?.env);
    expect(env).toMatchObject({
      ENV: "staging",
      ENV_DOMAIN_SUFFIX: "-staging",
      DATA_PATH: "/data/staging/postgres",
      VAULT_ADDR: h.vault.address,
      POSTGRES_DB: "app",
      POSTGRES_PASSWORD: PG_PASSWORD,
    });
    // The hash was not in the env the deploy ran with: it is written only after the deploy finished.
    expect(h.dokploy.state.deployCalls[0]?.snapshot?.compose.env ?? "").not.toContain(CONFIG_HASH_KEY);
  });

  it("uses the production environment that project.create makes, without creating another one", async () => {
    const h = await createHarness(server);
    const job = await h.sync({ services: ["redis"], env: "production" });
    expect(job.results[0]?.status).toBe("created");
    const environments = [...h.dokploy.state.environments.values()];
    expect(environments.map((e) => e.name)).toEqual(["production"]);
    expect(composeNamed(h.dokploy, "redis")?.environmentId).toBe(environments[0]?.environmentId);
    expect(envValue(composeNamed(h.dokploy, "redis")?.env, "ENV_DOMAIN_SUFFIX")).toBe("");
  });

  it("uses the project, environment and compose names that iac.config.yaml overrides", async () => {
    const h = await createHarness(server);
    const next = await h.commit({
      "iac.config.yaml": `${CONFIG}  redis:\n    dokploy:\n      project: infra\n      environment: "stage-{env}"\n      compose: cache\n`,
    });
    await h.sync({ services: ["redis"], commit: next });
    const compose = composeNamed(h.dokploy, "cache");
    const environment = h.dokploy.state.environments.get(compose?.environmentId ?? "");
    expect(environment?.name).toBe("stage-staging");
    expect(h.dokploy.state.projects.get(environment?.projectId ?? "")?.name).toBe("infra");
  });

  it("skips a service whose stored hash matches, then updates it when one of its files changes", async () => {
    const h = await createHarness(server);
    await h.sync({ services: ["postgres"] });
    const again = await h.sync({ services: ["postgres"] });
    expect(again.results[0]).toMatchObject({ status: "skipped" });
    expect(again.results[0]?.hashBefore).toBe(again.results[0]?.hashAfter);

    const next = await h.commit({ "platform/01.postgres/init.sql": "create table b (id int);\n" });
    const changed = await h.sync({ services: ["postgres"], commit: next });
    expect(changed.results[0]).toMatchObject({ status: "updated" });
    expect(changed.results[0]?.hashAfter).not.toBe(changed.results[0]?.hashBefore);
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
  });

  it("reads the stored hash with compose.one, so a second sync skips although project.all lists no env", async () => {
    const h = await createHarness(server);
    await h.sync({ services: ["redis"] });
    const second = await h.sync({ services: ["redis"] });
    expect(second.results[0]?.status).toBe("skipped");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("records no hash after a failed deploy, reports failed, and deploys again on the next sync", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "auto", outcome: "error" } } });
    const failed = await h.sync({ services: ["redis"] });
    expect(failed.state).toBe("failed");
    expect(failed.results[0]).toMatchObject({ status: "failed", error: { code: "deploy_failed" } });
    expect(failed.results[0]?.dokployDeploymentId).toBeDefined();
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBeNull();

    h.dokploy.configureDeploys({ outcome: "done" });
    const retried = await h.sync({ services: ["redis"] });
    expect(retried.state).toBe("succeeded");
    expect(retried.results[0]?.status).toBe("updated");
    expect(h.dokploy.state.deployCalls).toHaveLength(2);
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBe(retried.results[0]?.hashAfter);
  });

  it("clears the previous hash before deploying, so a failed update is not mistaken for the old content", async () => {
    const h = await createHarness(server);
    await h.sync({ services: ["redis"] });
    h.dokploy.configureDeploys({ outcome: "error" });
    const next = await h.commit({ "platform/02.redis/compose.yaml": "services:\n  redis:\n    image: redis:8\n" });
    await h.sync({ services: ["redis"], commit: next });
    h.dokploy.configureDeploys({ outcome: "done" });
    const back = await h.sync({ services: ["redis"] });
    expect(back.results[0]?.status).toBe("updated");
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
    const job = await h.sync({ services: ["postgres"] });
    expect(job.results[0]?.status).toBe("updated");
    const text = composeNamed(h.dokploy, "postgres")?.env ?? "";
    expect(text).toContain("# added by ops\n");
    expect(envValue(text, "S3_ACCESS_KEY")).toBe("foreign-key");
    expect(envOf(text)).not.toHaveProperty("OLD_SETTING");
    expect(envValue(text, "POSTGRES_PASSWORD")).toBe(PG_PASSWORD);
    expect(envValue(text, "IAC_MANAGED_KEYS")?.split(",")).toContain("POSTGRES_PASSWORD");
  });

  it("always leaves autoDeploy off: on new composes and on existing ones, even when nothing is deployed", async () => {
    const h = await createHarness(server);
    await h.sync({ services: ["redis"] });
    expect(composeNamed(h.dokploy, "redis")?.autoDeploy).toBe(false);

    const id = composeNamed(h.dokploy, "redis")?.composeId ?? "";
    const row = h.dokploy.state.composes.get(id);
    if (row !== undefined) {
      row.autoDeploy = true;
    }
    const skipped = await h.sync({ services: ["redis"] });
    expect(skipped.results[0]?.status).toBe("skipped");
    expect(composeNamed(h.dokploy, "redis")?.autoDeploy).toBe(false);
  });

  it("deploys the compose text and mounted files of the requested commit, not of a newer one", async () => {
    const h = await createHarness(server);
    const newer = await h.commit({
      "platform/01.postgres/init.sql": "create table newer (id int);\n",
      "platform/01.postgres/compose.yaml": POSTGRES_COMPOSE.replace("postgres:16", "postgres:17"),
    });
    expect(newer).not.toBe(h.base);
    await h.sync({ services: ["postgres"], commit: h.base });

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
    await h.sync({ services: ["postgres"] });
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
    await h.sync({ services: ["postgres"], commit: next });

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
      ENV_DOMAIN_SUFFIX: "-staging",
      DATA_PATH: "/data/staging/redis",
      VAULT_ADDR: h.vault.address,
    });
    h.dokploy.seed.compose({
      name: "redis",
      environmentId: staging.environmentId,
      env: `BACKUP_TOKEN=kept\nIAC_CONFIG_HASH=${legacy}\n`,
    });
    const job = await h.sync({ services: ["redis"] });
    expect(job.results[0]).toMatchObject({ status: "skipped", hashBefore: legacy });
    expect(h.dokploy.state.deployCalls).toHaveLength(0);
    const stored = composeNamed(h.dokploy, "redis")?.env;
    expect(stored).toBe(`BACKUP_TOKEN=kept\nIAC_CONFIG_HASH=${job.results[0]?.hashAfter}\n`);

    // A file the original recipe never hashed: the compose and plain env (the legacy inputs) are unchanged.
    const next = await h.commit({ "platform/02.redis/redis.conf": "maxmemory 256mb\n" });
    const second = await h.sync({ services: ["redis"], commit: next });
    expect(second.results[0]?.status).toBe("updated");
    expect(h.dokploy.state.deployCalls).toHaveLength(1);
  });

  it("redeploys when a Vault secret is rotated, although no file changed", async () => {
    const h = await createHarness(server);
    const first = await h.sync({ services: ["postgres"] });
    h.vault.seed.secret("platform/staging/postgres", { POSTGRES_PASSWORD: "rotated-password-91" });
    const second = await h.sync({ services: ["postgres"] });
    expect(second.results[0]?.status).toBe("updated");
    expect(second.results[0]?.hashAfter).not.toBe(first.results[0]?.hashAfter);
    expect(envValue(composeNamed(h.dokploy, "postgres")?.env, "POSTGRES_PASSWORD")).toBe("rotated-password-91");
  });

  it("fails with deploy_timeout when the deployment never finishes, and records nothing", async () => {
    const h = await createHarness(server, { dokploy: { deploy: { mode: "stuck" } } });
    const job = await h.sync({ services: ["redis"] });
    expect(job.results[0]).toMatchObject({ status: "failed", error: { code: "deploy_timeout" } });
    expect(job.results[0]?.dokployDeploymentId).toBeDefined();
    expect(readStoredHash(composeNamed(h.dokploy, "redis")?.env)).toBeNull();
  });

  it("never puts a secret value in logs or results, even when Dokploy echoes it in an error", async () => {
    const h = await createHarness(server, {
      dokploy: { deploy: { mode: "auto", outcome: "error", errorMessage: `psql: password ${PG_PASSWORD} rejected` } },
    });
    const job = await h.sync({ services: ["postgres"] });
    expect(job.results[0]?.error?.code).toBe("deploy_failed");
    expect(job.results[0]?.error?.message).toContain("[redacted]");
    expect(JSON.stringify(job)).not.toContain(PG_PASSWORD);
    expect(h.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(h.lines)).not.toContain(PG_PASSWORD);
  });

  it("binds delivery, env, service and commit to every log line of a service sync", async () => {
    const h = await createHarness(server);
    await h.sync({ services: ["redis"], delivery: "delivery-1" });
    const serviceLines = h.lines.filter((line) =>
      Object.entries(line.fields).some(([k, v]) => k === "service" && v === "redis"),
    );
    expect(serviceLines.length).toBeGreaterThan(1);
    for (const line of serviceLines) {
      expect(line.fields).toMatchObject({ delivery: "delivery-1", env: "staging", commit: h.base });
    }
  });
});
