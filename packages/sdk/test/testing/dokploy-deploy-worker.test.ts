import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeDokploy } from "../../src/testing/index.js";
import type { FakeDokployOptions } from "../../src/testing/types.js";
import { createDokployApi } from "./dokploy-api.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const RAW = { sourceType: "raw", composeFile: "services:\n  web:\n    image: nginx\n" } as const;

function start(options: FakeDokployOptions = {}) {
  const fake = createFakeDokploy(options);
  server.use(...fake.handlers);
  const { environment } = fake.seed.project({ name: "infra" });
  const web = fake.seed.compose({ name: "web", environmentId: environment.environmentId, ...RAW });
  const api = createDokployApi(fake);
  const statuses = async (composeId = web.composeId) =>
    ((await api.get("deployment.allByCompose", { composeId })).body as { status: string }[]).map((d) => d.status);
  return { fake, api, web, environment, statuses };
}

describe("fake Dokploy deploy worker", () => {
  it("inserts the deployment row only when the worker picks the job up", async () => {
    const { fake, api, web, statuses } = start();
    web.composeStatus = "done";
    await api.post("compose.deploy", { composeId: web.composeId });
    expect(await statuses()).toEqual([]);
    expect(fake.state.composes.get(web.composeId)?.composeStatus).toBe("done");

    fake.advance();
    expect(await statuses()).toEqual(["running"]);
    expect(fake.state.composes.get(web.composeId)?.composeStatus).toBe("running");
    fake.advance();
    expect(await statuses()).toEqual(["done"]);
    expect(fake.state.composes.get(web.composeId)?.composeStatus).toBe("done");
  });

  it("runs the jobs of one compose one at a time, in call order", async () => {
    const { fake, api, web, statuses } = start();
    await api.post("compose.deploy", { composeId: web.composeId, title: "first" });
    await api.post("compose.deploy", { composeId: web.composeId, title: "second" });
    const progress = () => fake.state.deployCalls.map((call) => `${call.title}:${call.status}`);

    fake.advance();
    expect(progress()).toEqual(["first:running", "second:queued"]);
    fake.advance();
    expect(progress()).toEqual(["first:done", "second:queued"]);
    fake.advance();
    expect(progress()).toEqual(["first:done", "second:running"]);
    const titles = (await api.get("deployment.allByCompose", { composeId: web.composeId })).body as { title: string }[];
    expect(titles.map((d) => d.title)).toEqual(["second", "first"]);
    expect(await statuses()).toEqual(["running", "done"]);
  });

  it("runs jobs of different composes side by side", async () => {
    const { fake, api, web, environment } = start();
    const api2 = fake.seed.compose({ name: "api", environmentId: environment.environmentId, ...RAW });
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.deploy", { composeId: api2.composeId });
    fake.advance();
    expect(fake.state.deployCalls.map((call) => call.status)).toEqual(["running", "running"]);
  });

  it("ends deployments with the outcome the option picks per compose", async () => {
    const { fake, api, web, environment } = start({
      deploy: { outcome: (compose) => (compose.name === "broken" ? "error" : "done"), errorMessage: "boom" },
    });
    const broken = fake.seed.compose({ name: "broken", environmentId: environment.environmentId, ...RAW });
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.deploy", { composeId: broken.composeId });
    expect(fake.runDeployments().map((call) => call.status)).toEqual(["done", "error"]);
    expect(fake.state.composes.get(broken.composeId)?.composeStatus).toBe("error");
    const rows = (await api.get("deployment.allByCompose", { composeId: broken.composeId })).body;
    expect(rows).toEqual([expect.objectContaining({ status: "error", errorMessage: "boom" })]);
  });

  it.each([1, 3])("in auto mode finishes a deployment after %i polls once picked up", async (afterPolls) => {
    const { api, web, statuses } = start({ deploy: { mode: "auto", afterPolls } });
    await api.post("compose.deploy", { composeId: web.composeId });
    const seen: string[] = [];
    while (seen.at(-1) !== "done" && seen.length < 10) {
      seen.push((await statuses())[0] ?? "none");
    }
    expect(seen).toEqual([...Array<string>(afterPolls).fill("running"), "done"]);
  });

  it("in stuck mode keeps deployments running and refuses to run them to the end", async () => {
    const { fake, api, web, statuses } = start({ deploy: { mode: "stuck" } });
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.deploy", { composeId: web.composeId });
    for (let poll = 0; poll < 5; poll++) {
      await statuses();
    }
    expect(fake.state.deployCalls.map((call) => call.status)).toEqual(["running", "queued"]);
    expect(() => fake.runDeployments()).toThrow(/stuck/);

    fake.configureDeploys({ mode: "manual" });
    expect(fake.runDeployments()).toHaveLength(2);
  });

  it("snapshots the compose, its mounts and domains at pick-up, like the worker reading the row", async () => {
    const { fake, api, web } = start();
    fake.seed.mount({ type: "file", mountPath: "/a", serviceType: "compose", composeId: web.composeId, content: "v1" });
    await api.post("compose.saveEnvironment", { composeId: web.composeId, env: "A=1" });
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.saveEnvironment", { composeId: web.composeId, env: "A=2" });
    fake.advance();
    await api.post("compose.saveEnvironment", { composeId: web.composeId, env: "A=3" });

    const [call] = fake.state.deployCalls;
    expect(call?.snapshot?.compose.env).toBe("A=2");
    expect(call?.snapshot?.mounts.map((mount) => mount.content)).toEqual(["v1"]);
    expect(call).toMatchObject({ kind: "deploy", title: "Manual deployment", deploymentId: expect.any(String) });
  });

  it("queues redeploys with their own message and title", async () => {
    const { fake, api, web } = start();
    const response = await api.post("compose.redeploy", { composeId: web.composeId });
    expect(response.body).toEqual({ success: true, message: "Redeployment queued", composeId: web.composeId });
    expect(fake.state.deployCalls[0]).toMatchObject({ kind: "redeploy", title: "Rebuild deployment" });
    expect(api.contract.violations).toEqual([]);
  });

  it("lists seeded history after newer deployments", async () => {
    const { fake, api, web } = start();
    const old = fake.seed.deployment({ composeId: web.composeId, title: "old" });
    await api.post("compose.deploy", { composeId: web.composeId });
    fake.runDeployments();
    const rows = (await api.get("deployment.allByCompose", { composeId: web.composeId })).body as {
      deploymentId: string;
    }[];
    expect(rows.map((row) => row.deploymentId).at(-1)).toBe(old.deploymentId);
    expect(rows).toHaveLength(2);
    expect(api.contract.violations).toEqual([]);
  });

  it.each([
    ["the default github source without a repository", {}, /GitHub source is not configured/],
    ["an empty raw compose file", { sourceType: "raw", composeFile: " " }, /compose file is empty/],
    ["a git source without its url", { sourceType: "git", customGitBranch: "main" }, /customGitUrl/],
  ] as const)("fails a deployment of %s like real Dokploy", async (_name, columns, message) => {
    const { fake, api, environment } = start();
    const compose = fake.seed.compose({ name: "x", environmentId: environment.environmentId, ...columns });
    await api.post("compose.deploy", { composeId: compose.composeId });
    expect(fake.runDeployments()).toEqual([expect.objectContaining({ status: "error" })]);
    const [row] = (await api.get("deployment.allByCompose", { composeId: compose.composeId })).body as {
      errorMessage: string;
    }[];
    expect(row?.errorMessage).toMatch(message);
  });

  it("fails a deployment when a domain of the compose has no serviceName", async () => {
    const { fake, api, web } = start();
    fake.seed.domain({ host: "web.example.com", composeId: web.composeId });
    await api.post("compose.deploy", { composeId: web.composeId });
    expect(fake.runDeployments().map((call) => call.status)).toEqual(["error"]);
  });
});

describe("fake Dokploy recovery from stuck deployments", () => {
  it("drops queued jobs on compose.cleanQueues and keeps the running one", async () => {
    const { fake, api, web } = start({ deploy: { mode: "stuck" } });
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.deploy", { composeId: web.composeId });
    fake.advance();
    const cleaned = await api.post("compose.cleanQueues", { composeId: web.composeId });
    expect(cleaned.body).toEqual({ success: true, message: "Queues cleaned successfully" });
    expect(fake.state.deployCalls.map((call) => call.status)).toEqual(["running", "cancelled"]);
  });

  it("kills every running build on the host on compose.killBuild, keeping queued jobs", async () => {
    const { fake, api, web, environment } = start({ deploy: { mode: "stuck" } });
    const otherId = fake.seed.compose({ name: "worker", environmentId: environment.environmentId, ...RAW }).composeId;
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.deploy", { composeId: otherId });
    fake.advance();
    const killed = await api.post("compose.killBuild", { composeId: web.composeId });
    expect(killed.status).toBe(200);
    expect(fake.state.deployCalls.map((call) => call.status)).toEqual(["error", "queued", "error"]);
    const rows = [...fake.state.deployments.values()];
    expect(rows.map((row) => [row.status, row.errorMessage])).toEqual([
      ["error", "Build killed"],
      ["error", "Build killed"],
    ]);
    expect(fake.state.composes.get(web.composeId)?.composeStatus).toBe("error");
    const missing = await api.post("compose.killBuild", { composeId: "nope" });
    expect(missing.status).toBe(404);
  });

  it("cancels running deployments and loses the queue on restart", async () => {
    const { fake, api, web, statuses } = start({ deploy: { mode: "stuck" } });
    await api.post("compose.deploy", { composeId: web.composeId });
    await api.post("compose.deploy", { composeId: web.composeId });
    fake.advance();
    fake.restart();
    expect(fake.state.deployCalls.map((call) => call.status)).toEqual(["cancelled", "cancelled"]);
    expect(await statuses()).toEqual(["cancelled"]);
    expect(fake.runDeployments()).toEqual([]);
  });
});

describe("fake Dokploy seeding", () => {
  it.each([
    [
      "an environment of a missing project",
      (fake: ReturnType<typeof createFakeDokploy>) => fake.seed.environment({ name: "x", projectId: "nope" }),
    ],
    [
      "a compose of a missing environment",
      (fake: ReturnType<typeof createFakeDokploy>) => fake.seed.compose({ name: "x", environmentId: "nope" }),
    ],
    [
      "a deployment of a missing compose",
      (fake: ReturnType<typeof createFakeDokploy>) => fake.seed.deployment({ composeId: "nope" }),
    ],
  ])("refuses %s", (_name, seed) => {
    expect(() => seed(createFakeDokploy())).toThrow(
      /\[@iac\/sdk\] seed\.\w+: expected \w+ of an existing row, received "nope"/,
    );
  });
});
