import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createFakeClock, createFakeDokploy, createFakeVault } from "../../src/testing/index.js";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe("createFakeClock", () => {
  it("starts at 2026-01-01 by default and moves only when told", () => {
    const clock = createFakeClock();
    expect(clock.iso()).toBe("2026-01-01T00:00:00.000Z");
    clock.advance(90_000);
    expect(clock.iso()).toBe("2026-01-01T00:01:30.000Z");
    clock.set("2027-06-01T12:00:00Z");
    expect(clock.now()).toBe(Date.parse("2027-06-01T12:00:00Z"));
  });

  it.each([
    ["an invalid start", () => createFakeClock("not a date"), /invalid clock start/],
    ["an invalid time", () => createFakeClock().set("soon"), /invalid clock time/],
    ["a non-finite step", () => createFakeClock().advance(Number.NaN), /invalid clock advance/],
  ])("rejects %s", (_name, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it("drives both fakes when shared: rows are stamped and tokens expire on the same time line", async () => {
    const clock = createFakeClock("2026-03-01T00:00:00Z");
    const dokploy = createFakeDokploy({ clock });
    const vault = createFakeVault({ clock, tokens: [{ token: "short", ttl: 60 }] });
    server.use(...dokploy.handlers, ...vault.handlers);

    const { project } = dokploy.seed.project({ name: "infra" });
    expect(project.createdAt.startsWith("2026-03-01T00:00:00")).toBe(true);

    const lookup = () => fetch(`${vault.address}/v1/auth/token/lookup-self`, { headers: { "x-vault-token": "short" } });
    expect((await lookup()).status).toBe(200);
    clock.advance(61_000);
    expect((await lookup()).status).toBe(403);
  });
});
