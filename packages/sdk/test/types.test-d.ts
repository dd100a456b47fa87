import { describe, expectTypeOf, test } from "vitest";
import {
  createDokployClient,
  createVaultClient,
  type DokployDeployment,
  type DokployDeployResult,
  type DokployEnvironment,
  type DokployErrorBody,
  type DokployProject,
  type KvReadResult,
  type KvVersionMetadata,
} from "../src/index.js";

const dokploy = createDokployClient({ baseUrl: "https://h", apiKey: "k" });
const vault = createVaultClient({ address: "https://v" });

describe("Dokploy response types", () => {
  test("compose.one has the composeStatus enum and its relations", async () => {
    const { data } = await dokploy.GET("/compose.one", { params: { query: { composeId: "c" } } });
    expectTypeOf(data).toEqualTypeOf<NonNullable<typeof data> | undefined>();
    if (data !== undefined) {
      expectTypeOf(data.composeStatus).toEqualTypeOf<"idle" | "running" | "done" | "error">();
      expectTypeOf(data.env).toEqualTypeOf<string | null>();
      expectTypeOf(data.sourceType).toEqualTypeOf<"git" | "github" | "gitlab" | "bitbucket" | "gitea" | "raw">();
      expectTypeOf(data.deployments).toEqualTypeOf<DokployDeployment[]>();
      expectTypeOf(data.environment.project.projectId).toBeString();
    }
  });

  test("deployment.allByCompose returns deployment rows with the status enum", async () => {
    const { data } = await dokploy.GET("/deployment.allByCompose", { params: { query: { composeId: "c" } } });
    expectTypeOf(data).toEqualTypeOf<DokployDeployment[] | undefined>();
    expectTypeOf<DokployDeployment["status"]>().toEqualTypeOf<"running" | "done" | "error" | "cancelled" | null>();
  });

  test("compose.deploy returns the queued job or true", async () => {
    const { data } = await dokploy.POST("/compose.deploy", { body: { composeId: "c" } });
    expectTypeOf(data).toEqualTypeOf<DokployDeployResult | undefined>();
    if (data !== undefined && data !== true) {
      expectTypeOf(data).toEqualTypeOf<{ success: true; message: string; composeId: string }>();
    }
  });

  test("saveEnvironment returns true and takes the whole env string", async () => {
    const { data } = await dokploy.POST("/compose.saveEnvironment", { body: { composeId: "c", env: "A=1" } });
    expectTypeOf(data).toEqualTypeOf<true | undefined>();
    // @ts-expect-error env is required (null clears it)
    await dokploy.POST("/compose.saveEnvironment", { body: { composeId: "c" } });
  });

  test("project.all lists truncated compose entries per environment", async () => {
    const { data } = await dokploy.GET("/project.all");
    const compose = data?.[0]?.environments[0]?.compose[0];
    expectTypeOf(compose?.composeStatus).toEqualTypeOf<"idle" | "running" | "done" | "error" | undefined>();
    expectTypeOf(compose?.composeId).toEqualTypeOf<string | undefined>();
  });

  test("project.create returns the project and its environment", async () => {
    const { data } = await dokploy.POST("/project.create", { body: { name: "p" } });
    expectTypeOf(data).toEqualTypeOf<{ project: DokployProject; environment: DokployEnvironment } | undefined>();
  });

  test("requests are typed from the spec", async () => {
    // @ts-expect-error composeId is required
    await dokploy.POST("/compose.deploy", { body: { title: "t" } });
    // @ts-expect-error compose.deploy is a POST
    await dokploy.GET("/compose.deploy");
    await dokploy.POST("/mounts.create", {
      body: { type: "file", mountPath: "/etc/app.conf", serviceId: "c", serviceType: "compose", filePath: "app.conf" },
    });
  });

  test("errors allow the guard's 401 without code", async () => {
    const { error } = await dokploy.GET("/project.all");
    expectTypeOf<{ message: string }>().toExtend<DokployErrorBody>();
    expectTypeOf(error).toExtend<DokployErrorBody | undefined>();
  });
});

describe("Vault types", () => {
  test("readKv returns a discriminated result", async () => {
    const result = await vault.readKv({ mount: "secret", path: "a/b", version: 2 });
    expectTypeOf(result).toEqualTypeOf<KvReadResult>();
    if (result.kind === "ok") {
      expectTypeOf(result.data).toEqualTypeOf<Record<string, unknown>>();
      expectTypeOf(result.metadata.version).toBeNumber();
    }
    if (result.kind === "deleted") {
      expectTypeOf(result.metadata).toEqualTypeOf<KvVersionMetadata>();
    }
    if (result.kind === "error") {
      expectTypeOf(result.status).toBeNumber();
    }
    // @ts-expect-error mount is required
    await vault.readKv({ path: "a" });
  });

  test("raw KV reads are typed with the envelope and the version parameter", async () => {
    const { data, error } = await vault.GET("/{kv_v2_mount_path}/data/{path}", {
      params: { path: { kv_v2_mount_path: "secret", path: "a" }, query: { version: 1 } },
    });
    expectTypeOf(data?.data.data).toEqualTypeOf<{ [key: string]: unknown } | undefined>();
    expectTypeOf(data?.lease_duration).toEqualTypeOf<number | undefined>();
    expectTypeOf(error).not.toBeAny();
  });

  test("token helpers expose the auth block and token properties", async () => {
    const login = await vault.loginAppRole({ roleId: "r", secretId: "s" });
    expectTypeOf(login.data?.auth.client_token).toEqualTypeOf<string | undefined>();
    expectTypeOf(login.data?.data).toEqualTypeOf<null | undefined>();
    expectTypeOf(login.error?.errors).toEqualTypeOf<string[] | undefined>();
    const self = await vault.lookupSelf();
    expectTypeOf(self.data?.data.ttl).toEqualTypeOf<number | undefined>();
    expectTypeOf(self.data?.data.policies).toEqualTypeOf<string[] | undefined>();
    await vault.renewSelf({ increment: "1h" });
    await vault.renewSelf({ increment: 3600 });
  });
});
