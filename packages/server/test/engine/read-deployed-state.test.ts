import { createDokployClient } from "@iac/sdk";
import { createFakeClock, createFakeDokploy, type FakeDokploy } from "@iac/sdk/testing";
import { CONFIG_HASH_KEY } from "@iac/sync";
import { http } from "msw";
import { describe, expect, it } from "vitest";
import { findCompose } from "../../src/engine/find-compose.js";
import { readDeployedState } from "../../src/engine/read-deployed-state.js";
import { useMsw } from "./harness.js";

const server = useMsw();
const NAMES = { project: "platform", environment: "staging", compose: "postgres" };

/** A fake Dokploy behind msw, every request path recorded with its method. */
function setup(): { fake: FakeDokploy; requests: string[]; client: ReturnType<typeof createDokployClient> } {
  const clock = createFakeClock();
  const fake = createFakeDokploy({ clock });
  const requests: string[] = [];
  server.use(
    http.all(`${fake.baseUrl}/*`, ({ request }) => {
      requests.push(`${request.method} ${new URL(request.url).pathname}`);
    }),
    ...fake.handlers,
  );
  return { fake, requests, client: createDokployClient({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, retry: false }) };
}

describe("readDeployedState", () => {
  it.each([
    ["project", () => undefined],
    [
      "environment",
      (fake: FakeDokploy) => {
        fake.seed.project({ name: "platform" });
      },
    ],
    [
      "compose",
      (fake: FakeDokploy) => {
        const { project } = fake.seed.project({ name: "platform" });
        const staging = fake.seed.environment({ name: "staging", projectId: project.projectId });
        fake.seed.compose({ name: "redis", environmentId: staging.environmentId });
      },
    ],
  ])("reports a missing %s without creating anything", async (missing, seed) => {
    const { fake, requests, client } = setup();
    seed(fake);
    const before = JSON.stringify([...fake.state.projects.values(), ...fake.state.composes.values()]);
    expect(await readDeployedState(client, NAMES)).toEqual({ exists: false, missing });
    expect(JSON.stringify([...fake.state.projects.values(), ...fake.state.composes.values()])).toBe(before);
    expect(requests).toEqual(["GET /api/project.all"]);
  });

  it("reads the stored hash and the newest finished deployment, with the commit of the runner's title", async () => {
    const { fake, requests, client } = setup();
    const { project } = fake.seed.project({ name: "platform" });
    const staging = fake.seed.environment({ name: "staging", projectId: project.projectId });
    const compose = fake.seed.compose({
      name: "postgres",
      environmentId: staging.environmentId,
      env: `A=1\n${CONFIG_HASH_KEY}=v2:${"a".repeat(64)}\n`,
    });
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    const { composeId } = compose;
    fake.seed.deployment({ composeId, title: "iac-runner 111111111111", status: "done", createdAt: at(1) });
    const newest = fake.seed.deployment({
      composeId,
      title: "iac-runner 222222222222",
      status: "done",
      createdAt: at(3),
    });
    fake.seed.deployment({ composeId, title: "iac-runner 333333333333", status: "error", createdAt: at(5) });
    fake.seed.deployment({ composeId, title: "iac-runner 444444444444", status: "done", createdAt: at(2) });
    expect(await readDeployedState(client, NAMES)).toEqual({
      exists: true,
      composeId,
      storedHash: `v2:${"a".repeat(64)}`,
      lastDeployment: {
        deploymentId: newest.deploymentId,
        title: "iac-runner 222222222222",
        createdAt: at(3),
        commitPrefix: "222222222222",
      },
      // The newest deployment of all failed: the hash stays that of the last done one.
      newestStatus: "error",
    });
    expect(requests).toEqual(["GET /api/project.all", "GET /api/compose.one", "GET /api/deployment.allByCompose"]);
  });

  it("has no stored hash and no last deployment for a compose that never finished a deploy", async () => {
    const { fake, client } = setup();
    const { project } = fake.seed.project({ name: "platform" });
    const staging = fake.seed.environment({ name: "staging", projectId: project.projectId });
    const { composeId } = fake.seed.compose({ name: "postgres", environmentId: staging.environmentId });
    fake.seed.deployment({ composeId, title: "Manual deployment", status: "error" });
    expect(await readDeployedState(client, NAMES)).toEqual({
      exists: true,
      composeId,
      storedHash: null,
      lastDeployment: null,
      newestStatus: "error",
    });
  });
});

describe("findCompose", () => {
  it("refuses to guess between two projects with the same name", async () => {
    const { fake, client } = setup();
    fake.seed.project({ name: "platform" });
    fake.seed.project({ name: "platform" });
    await expect(findCompose(client, NAMES)).rejects.toMatchObject({
      code: "dokploy_error",
      message: expect.stringContaining('ambiguous Dokploy project "platform": expected at most one, received 2'),
    });
  });

  it("finds the ids of each level", async () => {
    const { fake, client } = setup();
    const { project } = fake.seed.project({ name: "platform" });
    const staging = fake.seed.environment({ name: "staging", projectId: project.projectId });
    const { composeId } = fake.seed.compose({ name: "postgres", environmentId: staging.environmentId });
    expect(await findCompose(client, NAMES)).toEqual({
      status: "found",
      projectId: project.projectId,
      environmentId: staging.environmentId,
      composeId,
    });
    expect(await findCompose(client, { ...NAMES, compose: "redis" })).toEqual({
      status: "missing_compose",
      projectId: project.projectId,
      environmentId: staging.environmentId,
    });
  });
});
