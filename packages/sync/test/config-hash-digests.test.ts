import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { configHash } from "../src/config-hash.js";
import { configHashDigests } from "../src/config-hash-digests.js";

const sha256 = (data: string | Uint8Array): string => `sha256:${createHash("sha256").update(data).digest("hex")}`;

/** The documented HMAC input: a one-entry map, every field length-prefixed with 8 bytes big-endian. */
function secretDigest(key: string, name: string, value: string): string {
  const field = (text: string): Buffer => {
    const bytes = Buffer.from(text, "utf8");
    const length = Buffer.alloc(8);
    length.writeBigUInt64BE(BigInt(bytes.length));
    return Buffer.concat([length, bytes]);
  };
  const count = Buffer.alloc(8);
  count.writeBigUInt64BE(1n);
  const mac = createHmac("sha256", key).update(Buffer.concat([count, field(name), field(value)]));
  return `hmac-sha256:${mac.digest("hex")}`;
}

const INPUT = {
  compose: "services:\n  pg:\n    image: postgres:16\n",
  files: { "platform/01.pg/init.sql": "create table a;\n", "platform/01.pg/logo.png": new Uint8Array([0, 255, 7]) },
  env: { ENV: "staging", EMPTY: "", É: "ü" },
  secrets: { POSTGRES_PASSWORD: "pg-password-3f9a7c1e", TOKEN: "t" },
  secretKey: "hash-key",
};

describe("configHashDigests", () => {
  it("gives the config hash and the digest of every input", () => {
    expect(configHashDigests(INPUT)).toEqual({
      hash: configHash(INPUT),
      compose: sha256(INPUT.compose),
      files: {
        "platform/01.pg/init.sql": sha256("create table a;\n"),
        "platform/01.pg/logo.png": sha256(new Uint8Array([0, 255, 7])),
      },
      env: { ENV: sha256("staging"), EMPTY: sha256(""), É: sha256("ü") },
      secrets: {
        POSTGRES_PASSWORD: secretDigest("hash-key", "POSTGRES_PASSWORD", "pg-password-3f9a7c1e"),
        TOKEN: secretDigest("hash-key", "TOKEN", "t"),
      },
    });
  });

  it("never contains a secret value, and keys secret digests with the hash key", () => {
    const digests = configHashDigests(INPUT);
    expect(JSON.stringify(digests)).not.toContain("pg-password-3f9a7c1e");
    const other = configHashDigests({ ...INPUT, secretKey: "another-key" });
    const { POSTGRES_PASSWORD: mine } = digests.secrets;
    const { POSTGRES_PASSWORD: theirs } = other.secrets;
    expect(theirs).not.toBe(mine);
    expect(theirs).not.toBe(sha256("pg-password-3f9a7c1e"));
    expect({ ...other, secrets: {}, hash: "" }).toEqual({ ...digests, secrets: {}, hash: "" });
  });

  it("gives the same digest to the same file as a string or as bytes", () => {
    const text = configHashDigests({ compose: "", files: { a: "é" } });
    const bytes = configHashDigests({ compose: "", files: { a: new TextEncoder().encode("é") } });
    expect(text).toEqual(bytes);
  });

  it("needs no key without secrets and refuses secrets without a key, like configHash", () => {
    expect(configHashDigests({ compose: "x" })).toEqual({
      hash: configHash({ compose: "x" }),
      compose: sha256("x"),
      files: {},
      env: {},
      secrets: {},
    });
    expect(() => configHashDigests({ compose: "x", secrets: { A: "b" } })).toThrow(TypeError);
  });
});
