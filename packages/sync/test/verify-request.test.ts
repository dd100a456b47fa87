import { describe, expect, it } from "vitest";
import { type RequestHeaders, signRequest, verifyRequest } from "../src/index.js";
import { cryptoBackends, useCryptoBackend } from "./crypto-backends.js";

const BODY = '{"env":"staging","tag":"v1.2.4"}';
const NOW = 1_700_000_000;
const NONCE = "ci-run-42:attempt-1";

async function signed(overrides: { secret?: string; timestamp?: number } = {}): Promise<Record<string, string>> {
  return { ...(await signRequest({ secret: "current", body: BODY, timestamp: NOW, nonce: NONCE, ...overrides })) };
}

describe.each(cryptoBackends)("verifyRequest() with %s", (backend) => {
  useCryptoBackend(backend);

  it("accepts a request signed by signRequest() and returns its timestamp and nonce", async () => {
    const headers = await signed();
    expect(await verifyRequest({ secrets: ["current"], body: BODY, headers, now: NOW })).toEqual({
      ok: true,
      timestamp: NOW,
      nonce: NONCE,
    });
  });

  it("accepts a request signed with a previous secret", async () => {
    const headers = await signed({ secret: "previous" });
    const result = await verifyRequest({ secrets: ["current", "previous"], body: BODY, headers, now: NOW });
    expect(result.ok).toBe(true);
  });

  it("reads a Headers object and Node-style header arrays", async () => {
    const headers = await signed();
    const web = new Headers(headers);
    const node = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));
    expect(await verifyRequest({ secrets: ["current"], body: BODY, headers: web, now: NOW })).toMatchObject({
      ok: true,
    });
    expect(await verifyRequest({ secrets: ["current"], body: BODY, headers: node, now: NOW })).toMatchObject({
      ok: true,
    });
  });

  it.each<[string, (headers: Record<string, string>) => RequestHeaders, string]>([
    ["no signature header", ({ "x-hub-signature-256": _, ...rest }) => rest, "missing-signature"],
    ["no headers at all", () => ({}), "missing-signature"],
    ["a malformed signature", (h) => ({ ...h, "x-hub-signature-256": "sha256=xyz" }), "malformed"],
    [
      "a repeated signature header",
      (h) => ({ ...h, "x-hub-signature-256": [h["x-hub-signature-256"] ?? "", "b"] }),
      "malformed",
    ],
    ["no timestamp header", ({ "x-iac-timestamp": _, ...rest }) => rest, "malformed"],
    ["a non-numeric timestamp", (h) => ({ ...h, "x-iac-timestamp": "soon" }), "malformed"],
    ["a timestamp with a leading zero", (h) => ({ ...h, "x-iac-timestamp": `0${NOW}` }), "malformed"],
    ["no nonce header", ({ "x-iac-nonce": _, ...rest }) => rest, "malformed"],
    ["a nonce with forbidden characters", (h) => ({ ...h, "x-iac-nonce": "nonce/with/slashes" }), "malformed"],
    ["a different nonce", (h) => ({ ...h, "x-iac-nonce": "another-nonce" }), "bad-signature"],
    ["a shifted timestamp", (h) => ({ ...h, "x-iac-timestamp": String(NOW + 1) }), "bad-signature"],
    [
      "upper-case header names in a plain object",
      (h) => ({ "X-Hub-Signature-256": h["x-hub-signature-256"] }),
      "missing-signature",
    ],
  ])("refuses a request with %s", async (_case, edit, reason) => {
    const headers = edit(await signed());
    expect(await verifyRequest({ secrets: ["current"], body: BODY, headers, now: NOW })).toEqual({ ok: false, reason });
  });

  it.each([
    ["a changed body", "current", `${BODY} `, "bad-signature"],
    ["an unknown secret", "someone-else", BODY, "bad-signature"],
  ])("refuses %s", async (_case, secret, body, reason) => {
    const headers = await signed({ secret });
    expect(await verifyRequest({ secrets: ["current"], body, headers, now: NOW })).toEqual({ ok: false, reason });
  });

  it.each([
    ["300 s old", -300, undefined, true],
    ["301 s old", -301, undefined, false],
    ["300 s in the future", 300, undefined, true],
    ["301 s in the future", 301, undefined, false],
    ["61 s old with a 60 s window", -61, 60, false],
    ["60 s in the future with a 60 s window", 60, 60, true],
  ])("checks the skew window for a request %s", async (_case, offset, maxSkewSeconds, ok) => {
    const headers = await signed({ timestamp: NOW + offset });
    const result = await verifyRequest({ secrets: ["current"], body: BODY, headers, now: NOW, maxSkewSeconds });
    expect(result).toEqual(ok ? { ok, timestamp: NOW + offset, nonce: NONCE } : { ok, reason: "stale" });
  });
});

describe("verifyRequest() argument checks", () => {
  const valid = { secrets: ["current"], body: BODY, headers: {}, now: NOW };
  it.each([
    [
      "an empty secrets list",
      { ...valid, secrets: [] },
      /secrets must be a non-empty array of strings, received array/,
    ],
    ["a single secret string", { ...valid, secrets: "current" }, /secrets must be a non-empty array/],
    ["an empty secret in the list", { ...valid, secrets: ["current", ""] }, /secrets\[1\] must be a non-empty string/],
    ["a missing body", { ...valid, body: undefined }, /body must be a string or a Uint8Array, received undefined/],
    ["missing headers", { ...valid, headers: undefined }, /headers must be a Headers or a plain object/],
    ["a NaN now", { ...valid, now: Number.NaN }, /now must be a finite number of seconds, received NaN/],
    [
      "a negative skew",
      { ...valid, maxSkewSeconds: -1 },
      /maxSkewSeconds must be a non-negative finite number of seconds, received -1/,
    ],
  ])("rejects %s with a TypeError", async (_case, options, message) => {
    // @ts-expect-error: deliberately invalid options
    const result = verifyRequest(options);
    await expect(result).rejects.toThrow(TypeError);
    await expect(result).rejects.toThrow(message);
  });
});
