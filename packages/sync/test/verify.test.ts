import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sign, verify } from "../src/index.js";
import { cryptoBackends, useCryptoBackend } from "./crypto-backends.js";

const SECRET = "It's a Secret to Everybody";
const PAYLOAD = "Hello, World!";
const GOOD = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe.each(cryptoBackends)("verify() with %s", (backend) => {
  useCryptoBackend(backend);

  it("accepts GitHub's documented test vector", async () => {
    expect(await verify(SECRET, PAYLOAD, GOOD)).toBe(true);
  });

  it("accepts the signature in upper-case hex", async () => {
    expect(await verify(SECRET, PAYLOAD, `sha256=${GOOD.slice(7).toUpperCase()}`)).toBe(true);
  });

  it("accepts a Uint8Array payload with the same bytes", async () => {
    expect(await verify(SECRET, new TextEncoder().encode(PAYLOAD), GOOD)).toBe(true);
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["an object", { toString: () => GOOD }],
    ["an array holding the signature", [GOOD]],
    ["an empty string", ""],
    ["the prefix alone", "sha256="],
    ["a bare hex digest", GOOD.slice(7)],
    ["a sha1 prefix", `sha1=${GOOD.slice(7)}`],
    ["an upper-case prefix", `SHA256=${GOOD.slice(7)}`],
    ["non-hex digits", `sha256=${"z".repeat(64)}`],
    ["one digit short", GOOD.slice(0, -1)],
    ["one digit too many", `${GOOD}0`],
    ["trailing whitespace", `${GOOD} `],
    ["a wrong digest", `sha256=${"0".repeat(64)}`],
    ["a different payload's signature", "sha256=d3ad6cb1ecf2d1c2fc31d1f1ff2e2d36e8edf1aa1eb0c1feec1c83bcb2bd3f73"],
  ])("returns false for %s", async (_case, signature) => {
    expect(await verify(SECRET, PAYLOAD, signature)).toBe(false);
  });

  it("returns false for a signature made with another secret", async () => {
    expect(await verify(SECRET, PAYLOAD, await sign("another secret", PAYLOAD))).toBe(false);
  });

  it("accepts what sign() produced (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.oneof(fc.string(), fc.uint8Array()), async (secret, payload) => {
        expect(await verify(secret, payload, await sign(secret, payload))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("returns false and never throws for arbitrary signature values (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.anything()), async (signature) => {
        await expect(verify(SECRET, PAYLOAD, signature)).resolves.toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it("returns false for arbitrary well-formed signatures (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (digest) => {
        const signature = `sha256=${Buffer.from(digest).toString("hex")}`;
        fc.pre(signature !== GOOD);
        expect(await verify(SECRET, PAYLOAD, signature)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it("returns false when any single bit of the payload flips (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (payload, at, bit) => {
          const signature = await sign(SECRET, payload);
          const flipped = payload.slice();
          const index = at % flipped.length;
          flipped[index] = (flipped[index] as number) ^ (1 << bit);
          expect(await verify(SECRET, flipped, signature)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("verify() argument checks", () => {
  it.each([
    ["a missing secret", undefined, PAYLOAD, /secret must be a non-empty string, received undefined/],
    ["a null secret", null, PAYLOAD, /secret must be a non-empty string, received null/],
    ["an empty secret", "", PAYLOAD, /secret must be a non-empty string, received ""/],
    ["a missing payload", SECRET, undefined, /payload must be a string or a Uint8Array, received undefined/],
    [
      "a parsed-object payload",
      SECRET,
      { hello: "world" },
      /payload must be a string or a Uint8Array, received object/,
    ],
  ])("rejects %s with a TypeError even when the signature is bad", async (_case, secret, payload, message) => {
    // @ts-expect-error: deliberately invalid arguments
    const result = verify(secret, payload, "garbage");
    await expect(result).rejects.toThrow(TypeError);
    await expect(result).rejects.toThrow(message);
  });
});
