import { describe, expect, it } from "vitest";
import { dokployCheck, vaultCheck } from "../../src/health/dependency-checks.js";

const answering =
  (status: number): typeof fetch =>
  async () =>
    new Response(null, { status });
const unreachable: typeof fetch = async () => {
  throw new TypeError("fetch failed");
};
const signal = new AbortController().signal;

describe("dokployCheck", () => {
  const dokploy = { baseUrl: "http://dokploy.test", apiKey: "key" };

  it("passes on a 2xx answer", async () => {
    await expect(dokployCheck(dokploy, answering(200))(signal)).resolves.toBeUndefined();
  });

  it.each([
    ["a refused API key", answering(401), /refused the API key/],
    ["a URL that is not Dokploy (404)", answering(404), /HTTP 404/],
    ["a server error", answering(503), /HTTP 503/],
    ["no answer", unreachable, /unreachable/],
  ])("fails on %s", async (_name, fetchFn, message) => {
    await expect(dokployCheck(dokploy, fetchFn)(signal)).rejects.toThrow(message);
  });
});

describe("vaultCheck", () => {
  const vault = { address: "http://vault.test" };

  it.each([[200], [429], [473]])("passes when Vault answers %i (it can serve reads)", async (status) => {
    await expect(vaultCheck(vault, answering(status))(signal)).resolves.toBeUndefined();
  });

  it.each([[503], [501]])("fails when Vault answers %i (sealed or uninitialised)", async (status) => {
    await expect(vaultCheck(vault, answering(status))(signal)).rejects.toThrow(/cannot serve reads/);
  });
});
