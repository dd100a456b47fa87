import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeDokploy } from "../../src/testing/index.js";
import { createDokployApi, dokployValidator } from "./dokploy-api.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function start(options: Parameters<typeof createFakeDokploy>[0] = {}) {
  const fake = createFakeDokploy(options);
  server.use(...fake.handlers);
  return { fake, api: createDokployApi(fake) };
}

describe("fake Dokploy contract", () => {
  it("serves a create → configure → deploy → poll flow with bodies that match the spec", async () => {
    const { fake, api } = start({ deploy: { mode: "auto" } });

    const created = await api.post("project.create", { name: "infra", description: null });
    expect(created.status).toBe(200);
    const { project, environment } = created.body as { project: { projectId: string }; environment: object };
    expect(environment).toMatchObject({ name: "production", isDefault: true, projectId: project.projectId });

    const staging = await api.post("environment.create", { name: "staging", projectId: project.projectId });
    const { environmentId } = staging.body as { environmentId: string };
    const environments = await api.get("environment.byProjectId", { projectId: project.projectId });
    expect((environments.body as { name: string }[]).map((e) => e.name)).toEqual(["production", "staging"]);

    const compose = await api.post("compose.create", {
      name: "web",
      environmentId,
      appName: "web",
      sourceType: "raw",
      composeFile: "services: {}\n",
      env: "IGNORED=1",
    });
    const row = compose.body as { composeId: string; appName: string; env: unknown; autoDeploy: unknown };
    expect(row).toMatchObject({ env: null, autoDeploy: true, sourceType: "raw", composeStatus: "idle" });
    expect(row.appName).toMatch(/^web-[a-z0-9]{6}$/);
    const { composeId } = row;

    const updated = await api.post("compose.update", { composeId, autoDeploy: false, appName: "renamed" });
    expect(updated.body).toMatchObject({ autoDeploy: false, appName: row.appName });
    expect((await api.post("compose.saveEnvironment", { composeId, env: "A=1\nB=2" })).body).toBe(true);
    expect((await api.post("compose.saveEnvironment", { composeId, env: "C=3" })).body).toBe(true);

    const mount = await api.post("mounts.create", {
      type: "file",
      mountPath: "/etc/app/config.yml",
      filePath: "config.yml",
      content: "a: 1",
      serviceId: composeId,
      serviceType: "compose",
    });
    const { mountId } = mount.body as { mountId: string };
    await api.post("mounts.update", { mountId, content: "a: 2" });
    expect((await api.get("mounts.one", { mountId })).body).toMatchObject({ content: "a: 2", composeId });
    await api.post("domain.create", { host: "web.example.com", composeId, serviceName: "web", port: 80 });

    const before = await api.get("deployment.allByCompose", { composeId });
    expect(before.body).toEqual([]);
    const deployed = await api.post("compose.deploy", { composeId });
    expect(deployed.body).toEqual({ success: true, message: "Deployment queued", composeId });

    const seen: string[] = [];
    for (let poll = 0; poll < 5 && seen.at(-1) !== "done"; poll++) {
      const list = (await api.get("deployment.allByCompose", { composeId })).body as { status: string }[];
      seen.push(list[0]?.status ?? "none");
    }
    expect(seen).toEqual(["running", "done"]);

    const detail = await api.get("compose.one", { composeId });
    expect(detail.body).toMatchObject({
      composeStatus: "done",
      env: "C=3",
      environment: { environmentId, project: { projectId: project.projectId } },
      mounts: [{ mountId }],
      domains: [{ host: "web.example.com" }],
      deployments: [{ status: "done" }],
    });
    const all = await api.get("project.all");
    expect(all.body).toEqual([
      expect.objectContaining({
        projectId: project.projectId,
        environments: [
          expect.objectContaining({ name: "production", compose: [] }),
          expect.objectContaining({ name: "staging", compose: [{ composeId, name: "web", composeStatus: "done" }] }),
        ],
      }),
    ]);
    await api.get("project.one", { projectId: project.projectId });
    await api.get("environment.one", { environmentId });
    expect(
      (await api.get("mounts.listByServiceId", { serviceType: "compose", serviceId: composeId })).body,
    ).toHaveLength(1);
    expect((await api.get("domain.byComposeId", { composeId })).body).toHaveLength(1);
    await api.post("mounts.remove", { mountId });
    expect(fake.state.mounts.size).toBe(0);

    expect(fake.state.deployCalls.map((call) => call.snapshot?.compose.env)).toEqual(["C=3"]);
    expect(fake.state.deployCalls[0]?.snapshot?.mounts.map((m) => m.content)).toEqual(["a: 2"]);
    expect(api.contract.violations).toEqual([]);
  });

  it("serves the update, lifecycle and delete procedures with bodies that match the spec", async () => {
    const { fake, api } = start();
    const { project, environment } = fake.seed.project({ name: "infra" });
    const { environmentId } = environment;
    const web = fake.seed.compose({ name: "web", environmentId, sourceType: "raw", composeFile: "services: {}\n" });
    fake.seed.mount({ type: "volume", mountPath: "/data", serviceType: "compose", composeId: web.composeId });

    expect((await api.post("project.update", { projectId: project.projectId, env: "P=1" })).body).toMatchObject({
      env: "P=1",
    });
    expect((await api.post("environment.update", { environmentId, env: "E=1" })).body).toMatchObject({ env: "E=1" });
    expect((await api.post("compose.start", { composeId: web.composeId })).body).toBe(true);
    expect(fake.state.composes.get(web.composeId)?.composeStatus).toBe("done");
    expect((await api.post("compose.stop", { composeId: web.composeId })).body).toBe(true);
    expect(fake.state.composes.get(web.composeId)?.composeStatus).toBe("idle");
    await api.post("compose.redeploy", { composeId: web.composeId, title: "again" });
    await api.post("compose.cleanQueues", { composeId: web.composeId });
    const deleted = await api.post("compose.delete", { composeId: web.composeId, deleteVolumes: false });
    expect(deleted.body).toMatchObject({ composeId: web.composeId });
    expect([fake.state.composes.size, fake.state.mounts.size]).toEqual([0, 0]);
    expect(api.contract.checked).toEqual(
      [
        "project.update",
        "environment.update",
        "compose.start",
        "compose.stop",
        "compose.redeploy",
        "compose.cleanQueues",
        "compose.delete",
      ].map((procedure) => `POST /${procedure} 200`),
    );
    expect(api.contract.violations).toEqual([]);
  });

  it("answers a missing or wrong x-api-key with the route guard's 401 without code", async () => {
    const { fake, api } = start({ apiKey: ["good"] });
    const wrong = createDokployApi(fake, "bad");
    expect(await wrong.get("project.all")).toEqual({ status: 401, body: { message: "Unauthorized" } });
    const missing = await fetch(`${fake.baseUrl}/api/project.all`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: "Unauthorized" });
    expect((await api.get("project.all")).status).toBe(200);
    expect([...wrong.contract.violations, ...api.contract.violations]).toEqual([]);
  });

  it.each([
    ["no content type", undefined, "Missing content-type header"],
    ["a text content type", "text/plain", 'Unsupported content-type "text/plain'],
  ])("answers a POST with %s with 415 UNSUPPORTED_MEDIA_TYPE", async (_name, contentType, message) => {
    const { fake } = start();
    const response = await fetch(`${fake.baseUrl}/api/project.create`, {
      method: "POST",
      headers: { "x-api-key": fake.apiKey, ...(contentType ? { "content-type": contentType } : {}) },
      body: new Blob([JSON.stringify({ name: "x" })]),
    });
    expect(response.status).toBe(415);
    const body: unknown = await response.json();
    expect(body).toMatchObject({ code: "UNSUPPORTED_MEDIA_TYPE", message });
    const check = dokployValidator.response("POST", "/project.create", 415);
    expect(check).toBeDefined();
    expect(check?.(body)).toBeUndefined();
    expect(fake.state.projects.size).toBe(0);
  });

  it.each([
    ["a missing required field", "compose.create", { name: "web" }, ["environmentId"]],
    ["a wrong type", "compose.saveEnvironment", { composeId: "c", env: 42 }, ["env"]],
    ["an enum value Dokploy rejects", "compose.update", { composeId: "c", sourceType: "svn" }, ["sourceType"]],
    ["an empty required string", "compose.deploy", { composeId: "" }, ["composeId"]],
  ])("answers %s with 400 Input validation failed", async (_name, procedure, body, path) => {
    const { api } = start();
    const response = await api.post(procedure, body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ message: "Input validation failed", code: "BAD_REQUEST" });
    expect((response.body as { issues: { path: unknown[] }[] }).issues.map((issue) => issue.path)).toContainEqual(path);
    expect(api.contract.violations).toEqual([]);
  });

  it("validates GET queries after coercing them like zod", async () => {
    const { api } = start();
    const response = await api.get("compose.one", {});
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: ["composeId"] }] });
  });

  it.each([
    ["compose.one", "GET", { composeId: "missing" }, "Compose not found"],
    ["compose.deploy", "POST", { composeId: "missing" }, "Compose not found"],
    ["compose.update", "POST", { composeId: "missing", name: "x" }, "Compose not found"],
    ["deployment.allByCompose", "GET", { composeId: "missing" }, "Compose not found"],
    ["compose.create", "POST", { name: "x", environmentId: "missing" }, "Environment not found"],
    ["environment.create", "POST", { name: "x", projectId: "missing" }, "Project not found"],
    ["mounts.one", "GET", { mountId: "missing" }, "Mount not found"],
  ])("answers %s of an unknown id with 404 NOT_FOUND", async (procedure, method, input, message) => {
    const { api } = start();
    const response =
      method === "GET" ? await api.get(procedure, input as Record<string, string>) : await api.post(procedure, input);
    expect(response).toMatchObject({ status: 404, body: { code: "NOT_FOUND", message } });
    expect(api.contract.violations).toEqual([]);
  });

  it("serves only operations of the spec, so every request is validated", () => {
    const served = createFakeDokploy().handlers.map((handler) => {
      const { method, path } = handler.info as { method: string; path: string };
      return [method, new URL(path).pathname.replace(/^\/api/, "")] as const;
    });
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter(([method, path]) => !dokployValidator.has(method, path))).toEqual([]);
  });

  it("lets a test skip request validation", async () => {
    const { api } = start({ validateRequests: false });
    expect((await api.post("compose.deploy", { composeId: "" })).status).toBe(404);
  });
});
