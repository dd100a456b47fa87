import { sign, signRequest } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { verifyCiRequest } from "../../src/auth/verify-ci-request.js";
import { HttpError } from "../../src/http/http-error.js";

const SECRET = "current-secret";
const PREVIOUS = "previous-secret";
const BODY = '{"env":"staging","tag":"v1.0.0"}';
const NOW_SECONDS = 1_800_000_000;
const NOW = NOW_SECONDS * 1000 + 999;

/** A nonce store that remembers what it was asked to claim and answers `fresh`. */
function nonceStore(fresh = true) {
  const claims: Array<[key: string, ttlMs: number, now: number]> = [];
  return {
    claims,
    nonces: {
      claimKey: async (key: string, ttlMs: number, now: number) => {
        claims.push([key, ttlMs, now]);
        return fresh;
      },
    },
  };
}

async function timestampedHeaders(options: { timestamp?: number; secret?: string; nonce?: string } = {}) {
  return new Headers(
    Object.entries(
      await signRequest({
        secret: options.secret ?? SECRET,
        body: BODY,
        timestamp: options.timestamp ?? NOW_SECONDS,
        nonce: options.nonce ?? "nonce-0001",
      }),
    ),
  );
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HttpError);
  const { status, code, message } = error as HttpError;
  return { status, code, message };
}

const verify = (
  headers: Headers,
  extra: { requireTimestamp?: boolean; maxSkewSeconds?: number; fresh?: boolean } = {},
) => {
  const store = nonceStore(extra.fresh);
  const result = verifyCiRequest({
    headers,
    body: new TextEncoder().encode(BODY),
    secrets: [SECRET, PREVIOUS],
    requireTimestamp: extra.requireTimestamp ?? false,
    nonces: store.nonces,
    now: NOW,
    maxSkewSeconds: extra.maxSkewSeconds,
  });
  return { result, claims: store.claims };
};

describe("verifyCiRequest", () => {
  it("accepts the timestamped signature and claims its nonce for twice the skew window", async () => {
    const { result, claims } = verify(await timestampedHeaders());
    expect(await result).toBe("timestamped");
    expect(claims).toEqual([["nonce:nonce-0001", 600_000, NOW]]);
  });

  it("keeps a nonce for twice a custom skew window", async () => {
    const { result, claims } = verify(await timestampedHeaders(), { maxSkewSeconds: 30 });
    expect(await result).toBe("timestamped");
    expect(claims).toEqual([["nonce:nonce-0001", 60_000, NOW]]);
  });

  it("accepts a timestamped request made with the previous secret", async () => {
    expect(await verify(await timestampedHeaders({ secret: PREVIOUS })).result).toBe("timestamped");
  });

  it.each([
    ["300 s in the past", NOW_SECONDS - 300, true],
    ["301 s in the past", NOW_SECONDS - 301, false],
    ["300 s in the future", NOW_SECONDS + 300, true],
    ["301 s in the future", NOW_SECONDS + 301, false],
  ])("checks the timestamp against now in seconds: %s", async (_name, timestamp, accepted) => {
    const { result } = verify(await timestampedHeaders({ timestamp }));
    if (accepted) {
      expect(await result).toBe("timestamped");
    } else {
      expect(await refusal(result)).toEqual({
        status: 401,
        code: "stale_request",
        message: "request timestamp is more than 300 s away from now",
      });
    }
  });

  it("names a custom skew window when it refuses a stale request", async () => {
    const { result } = verify(await timestampedHeaders({ timestamp: NOW_SECONDS - 31 }), { maxSkewSeconds: 30 });
    expect(await refusal(result)).toMatchObject({ message: "request timestamp is more than 30 s away from now" });
  });

  it("refuses a replayed nonce with 401 replayed_request", async () => {
    const { result } = verify(await timestampedHeaders(), { fresh: false });
    expect(await refusal(result)).toEqual({
      status: 401,
      code: "replayed_request",
      message: "this nonce was already used",
    });
  });

  it.each([
    ["a wrong secret", async () => timestampedHeaders({ secret: "another-secret" })],
    [
      "a timestamp without a nonce",
      async () => {
        const headers = await timestampedHeaders();
        headers.delete("x-iac-nonce");
        return headers;
      },
    ],
    [
      "a nonce without a timestamp",
      async () => {
        const headers = await timestampedHeaders();
        headers.delete("x-iac-timestamp");
        return headers;
      },
    ],
  ])("refuses a timestamped request with %s as invalid_signature, claiming no nonce", async (_name, make) => {
    const { result, claims } = verify(await make());
    expect(await refusal(result)).toEqual({
      status: 401,
      code: "invalid_signature",
      message: "signature does not match",
    });
    expect(claims).toEqual([]);
  });

  it("refuses a request without a signature, even a timestamped one", async () => {
    const headers = await timestampedHeaders();
    headers.delete("x-hub-signature-256");
    const { result, claims } = verify(headers);
    expect(await refusal(result)).toEqual({
      status: 401,
      code: "missing_signature",
      message: "missing X-Hub-Signature-256 header",
    });
    expect(claims).toEqual([]);
  });

  it.each([
    ["the current secret", SECRET],
    ["the previous secret", PREVIOUS],
  ])("accepts the plain body signature made with %s", async (_name, secret) => {
    const { result, claims } = verify(new Headers({ "x-hub-signature-256": await sign(secret, BODY) }));
    expect(await result).toBe("plain");
    expect(claims).toEqual([]);
  });

  it("never falls back to the plain signature once a timestamp header is present", async () => {
    const headers = new Headers({
      "x-hub-signature-256": await sign(SECRET, BODY),
      "x-iac-timestamp": `${NOW_SECONDS}`,
    });
    const { result } = verify(headers);
    expect(await refusal(result)).toMatchObject({ code: "invalid_signature" });
  });

  it("fails closed with a TypeError when no secret is given", async () => {
    const result = verifyCiRequest({
      headers: new Headers({ "x-hub-signature-256": await sign(SECRET, BODY) }),
      body: new TextEncoder().encode(BODY),
      secrets: [],
      requireTimestamp: false,
      nonces: nonceStore().nonces,
      now: NOW,
    });
    await expect(result).rejects.toThrow(TypeError);
  });

  it("refuses a plain signature made with another secret", async () => {
    const { result } = verify(new Headers({ "x-hub-signature-256": await sign("another-secret", BODY) }));
    expect(await refusal(result)).toEqual({
      status: 401,
      code: "invalid_signature",
      message: "signature does not match",
    });
  });

  it("refuses the plain signature when timestamps are required", async () => {
    const headers = new Headers({ "x-hub-signature-256": await sign(SECRET, BODY) });
    const { result } = verify(headers, { requireTimestamp: true });
    expect(await refusal(result)).toEqual({
      status: 401,
      code: "timestamp_required",
      message: "signed X-IAC-Timestamp and X-IAC-Nonce headers are required",
    });
    expect(await verify(await timestampedHeaders(), { requireTimestamp: true }).result).toBe("timestamped");
  });
});
