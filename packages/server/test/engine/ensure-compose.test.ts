import { createDokployClient, type DokployClient } from "@iac/sdk";
import { createFakeDokploy, type FakeDokploy } from "@iac/sdk/testing";
import { getResponse } from "msw";
import { describe, expect, it } from "vitest";
import { ensureCompose } from "../../src/engine/ensure-compose.js";
import { createStoreLock } from "../../src/engine/key-lock.js";
import { memoryStore } from "../helpers/runner-fixture.js";

/** A client of the fake Dokploy whose `project.all` answers are held until two are waiting (a real race). */
function racingDokploy(fake: FakeDokploy = createFakeDokploy()): {
  fake: FakeDokploy;
  dokploy: DokployClient;
  listings: () => number;
} {
  const waiting: Array<() => void> = [];
  let listings = 0;
  const dokploy = createDokployClient({
    baseUrl: fake.baseUrl,
    apiKey: fake.apiKey,
    retry: false,
    fetch: async (request) => {
      if (new URL(request.url).pathname === "/api/project.all") {
        listings += 1;
        const answer = await getResponse(fake.handlers, request);
        // Whoever lists first waits (up to 200 ms) for a second lister, so both can see the same empty list.
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === 2) {
            for (const wake of waiting.splice(0)) {
              wake();
            }
          }
          setTimeout(resolve, 200);
        });
        return answer ?? new Response(null, { status: 404 });
      }
      return (await getResponse(fake.handlers, request)) ?? new Response(null, { status: 404 });
    },
  });
  return { fake, dokploy, listings: () => listings };
}

describe("ensureCompose", () => {
  it("creates a new project once when two of its composes are ensured at the same time", async () => {
    const { fake, dokploy, listings } = racingDokploy();
    const names = (compose: string) => ({ project: "platform", environment: "staging", compose });
    const [redis, postgres] = await Promise.all([
      ensureCompose(dokploy, names("redis")),
      ensureCompose(dokploy, names("postgres")),
    ]);
    // Both looked the project up, found none, and the second looked again once the first had created it.
    expect(listings()).toBe(4);
    expect([redis.created, postgres.created]).toEqual([true, true]);
    expect([...fake.state.projects.values()].map((project) => project.name)).toEqual(["platform"]);
    expect([...fake.state.environments.values()].filter((row) => row.name === "staging")).toHaveLength(1);
    expect([...fake.state.composes.values()].map((row) => row.name).sort()).toEqual(["postgres", "redis"]);
  });

  it("creates a new project once when two runners sharing a store ensure its composes at the same time", async () => {
    const fake = createFakeDokploy();
    const store = await memoryStore();
    // Two clients: two runners, whose in-process ordering knows nothing of each other; only the store's lock does.
    const runners = [racingDokploy(fake), racingDokploy(fake)].map(({ dokploy }, index) => ({
      dokploy,
      lock: createStoreLock(store, `runner-${index}`),
    }));
    const names = (compose: string) => ({ project: "platform", environment: "staging", compose });
    const [redis, postgres] = await Promise.all(
      runners.map(({ dokploy, lock }, index) =>
        ensureCompose(dokploy, names(index === 0 ? "redis" : "postgres"), lock),
      ),
    );
    expect([redis?.created, postgres?.created]).toEqual([true, true]);
    expect([...fake.state.projects.values()].map((project) => project.name)).toEqual(["platform"]);
    expect([...fake.state.composes.values()].map((row) => row.name).sort()).toEqual(["postgres", "redis"]);
    expect(await store.acquireLease("lock:dokploy-project:platform", "someone-else", Date.now(), 1_000)).toBe(true);
  });

  it("lets other projects and later calls go on after a failed one", async () => {
    const { fake, dokploy } = racingDokploy();
    fake.inject({ route: "/project.create", status: 500, times: 1 });
    const names = (project: string) => ({ project, environment: "staging", compose: "redis" });
    await expect(ensureCompose(dokploy, names("platform"))).rejects.toMatchObject({ code: "dokploy_unreachable" });
    const [again, other] = await Promise.all([
      ensureCompose(dokploy, names("platform")),
      ensureCompose(dokploy, names("apps")),
    ]);
    expect([again.created, other.created]).toEqual([true, true]);
    expect(fake.state.projects.size).toBe(2);
  });
});
