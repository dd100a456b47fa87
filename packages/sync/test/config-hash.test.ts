import { createHash, createHmac } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ConfigHashInput, configHash, isConfigHash } from "../src/index.js";

const text = fc.string({ unit: "binary", maxLength: 12 });
const content = fc.oneof(text, fc.uint8Array({ maxLength: 12 }));
const secretKey = fc.string({ unit: "binary", minLength: 1, maxLength: 8 });
const input = fc.record({
  compose: text,
  files: fc.dictionary(text, content, { maxKeys: 4 }),
  env: fc.dictionary(text, text, { maxKeys: 4 }),
  secrets: fc.dictionary(text, text, { maxKeys: 4 }),
  secretKey,
});
type Input = { compose: string; files: Record<string, string | Uint8Array>; env: Record<string, string> } & {
  secrets: Record<string, string>;
  secretKey: string;
};

function shuffled<T>(record: Record<string, T>, seed: number): Record<string, T> {
  const entries = Object.entries(record);
  const order = entries.map((entry, index) => ({ entry, rank: (index * 7919 + seed) % 104729 }));
  return Object.fromEntries(order.sort((a, b) => a.rank - b.rank).map(({ entry }) => entry));
}

function withCodePointChanged(value: string, index: number): string {
  const chars = Array.from(value);
  const at = index % chars.length;
  chars[at] = chars[at] === "a" ? "b" : "a";
  return chars.join("");
}

// Independent implementation of the documented encoding, pinned so that a change of format cannot slip through:
// every stored hash would silently stop matching.
function referenceHash({ compose, files = {}, env = {}, secrets = {}, secretKey = "" }: ConfigHashInput): string {
  const length = (n: number) => {
    const buffer = Buffer.alloc(8);
    buffer.writeBigUInt64BE(BigInt(n));
    return buffer;
  };
  const field = (value: string | Uint8Array) => {
    const bytes = Buffer.from(value);
    return Buffer.concat([length(bytes.length), bytes]);
  };
  const entries = (record: Readonly<Record<string, string | Uint8Array>>) => {
    const sorted = Object.entries(record).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return Buffer.concat([length(sorted.length), ...sorted.flatMap(([key, value]) => [field(key), field(value)])]);
  };
  const hash = createHash("sha256")
    .update(field("iac-runner/config-hash/v2"))
    .update(field(compose))
    .update(entries(files))
    .update(entries(env))
    .update(length(Object.keys(secrets).length));
  if (Object.keys(secrets).length > 0) {
    hash.update(createHmac("sha256", secretKey).update(entries(secrets)).digest());
  }
  return `v2:${hash.digest("hex")}`;
}

describe("configHash", () => {
  it("matches an independent implementation of its documented encoding", () => {
    fc.assert(
      fc.property(input, (value) => {
        expect(configHash(value)).toBe(referenceHash(value));
      }),
    );
  });

  it("returns v2: and 64 lowercase hex characters", () => {
    fc.assert(
      fc.property(input, (value) => {
        expect(isConfigHash(configHash(value))).toBe(true);
      }),
    );
  });

  it("does not depend on the order of env keys, secret keys or files", () => {
    fc.assert(
      fc.property(input, fc.nat(), (value, seed) => {
        const reordered = {
          ...value,
          files: shuffled(value.files, seed),
          env: shuffled(value.env, seed + 1),
          secrets: shuffled(value.secrets, seed + 2),
        };
        expect(configHash(reordered)).toBe(configHash(value));
      }),
    );
  });

  it("hashes a file given as a string like its UTF-8 bytes", () => {
    fc.assert(
      fc.property(text, text, (path, body) => {
        expect(configHash({ compose: "", files: { [path]: new TextEncoder().encode(body) } })).toBe(
          configHash({ compose: "", files: { [path]: body } }),
        );
      }),
    );
  });

  const mutations: Array<[string, (value: Input, at: number) => Input | null]> = [
    [
      "a character of the compose text",
      (v, at) => (v.compose ? { ...v, compose: withCodePointChanged(v.compose, at) } : null),
    ],
    ["a character appended to the compose text", (v) => ({ ...v, compose: `${v.compose} ` })],
    ...(["files", "env", "secrets"] as const).flatMap(
      (field): Array<[string, (value: Input, at: number) => Input | null]> => [
        [
          `a ${field} key`,
          (v, at) => {
            const entries = Object.entries(v[field]);
            const [key, body] = entries[at % Math.max(entries.length, 1)] ?? [];
            if (key === undefined || body === undefined) {
              return null;
            }
            const renamed = key ? withCodePointChanged(key, at) : "x";
            if (renamed in v[field]) {
              return null;
            }
            const rest = Object.fromEntries(entries.filter(([name]) => name !== key));
            return { ...v, [field]: { ...rest, [renamed]: body } };
          },
        ],
        [
          `a ${field} value`,
          (v, at) => {
            const entries = Object.entries(v[field]);
            const [key, body] = entries[at % Math.max(entries.length, 1)] ?? [];
            if (key === undefined || body === undefined) {
              return null;
            }
            const changed = typeof body === "string" ? `${body}!` : Uint8Array.from([...body, at % 256]);
            return { ...v, [field]: { ...v[field], [key]: changed } };
          },
        ],
        [
          `an added ${field} entry`,
          (v) => ("\u0000new" in v[field] ? null : { ...v, [field]: { ...v[field], "\u0000new": "" } }),
        ],
      ],
    ),
  ];

  it.each(mutations)("changes when %s changes", (_name, mutate) => {
    fc.assert(
      fc.property(input, fc.nat(), (value, at) => {
        const changed = mutate(value, at);
        fc.pre(changed !== null);
        expect(configHash(changed ?? value)).not.toBe(configHash(value));
      }),
    );
  });

  it("changes when a single byte of a file changes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, at, delta) => {
          const changed = Uint8Array.from(bytes);
          const index = at % bytes.length;
          changed[index] = ((bytes[index] ?? 0) + delta) % 256;
          expect(configHash({ compose: "", files: { f: changed } })).not.toBe(
            configHash({ compose: "", files: { f: bytes } }),
          );
        },
      ),
    );
  });

  const collisions: Array<[string, ConfigHashInput, ConfigHashInput]> = [
    [
      "a value imitating a second env line",
      { compose: "", env: { A: "1\nB=2" } },
      { compose: "", env: { A: "1", B: "2" } },
    ],
    ["a key absorbing its value", { compose: "", env: { AB: "" } }, { compose: "", env: { A: "B" } }],
    ["= moved between key and value", { compose: "", env: { A: "1=B" } }, { compose: "", env: { "A=1": "B" } }],
    ["an empty value and an absent key", { compose: "", env: { A: "" } }, { compose: "" }],
    ["content moved from compose to a file", { compose: "ab", files: { f: "" } }, { compose: "a", files: { f: "b" } }],
    ["a path absorbing its content", { compose: "", files: { ab: "c" } }, { compose: "", files: { a: "bc" } }],
    ["an entry moved from env to files", { compose: "", env: { A: "1" } }, { compose: "", files: { A: "1" } }],
    [
      "an entry moved from env to secrets",
      { compose: "", env: { A: "1" } },
      { compose: "", secrets: { A: "1" }, secretKey: "k" },
    ],
    ["a compose text that spells an env block", { compose: "x", env: { A: "1" } }, { compose: "x\n---ENV---\nA=1" }],
  ];

  it("tells apart strings that differ only in a lone surrogate, which UTF-8 cannot hold", () => {
    const hashes = ["\uD800", "\uD801", "\uDC00", "\uFFFD", ""].flatMap((text) => [
      configHash({ compose: text }),
      configHash({ compose: "", env: { [text]: "v" } }),
      configHash({ compose: "", env: { A: text } }),
      configHash({ compose: "", secrets: { S: text }, secretKey: "k" }),
    ]);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it.each(collisions)("tells apart %s", (_name, a, b) => {
    expect(configHash(a)).not.toBe(configHash(b));
  });

  it("tells apart any split of one text between the compose file and another file", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), fc.nat(), fc.nat(), (whole, i, j) => {
        const a = i % (whole.length + 1);
        const b = j % (whole.length + 1);
        fc.pre(a !== b);
        const split = (at: number) => configHash({ compose: whole.slice(0, at), files: { f: whole.slice(at) } });
        expect(split(a)).not.toBe(split(b));
      }),
    );
  });

  it("tells apart env entries from one value that imitates them", () => {
    fc.assert(
      fc.property(text, text, text, text, (k1, v1, k2, v2) => {
        fc.pre(k1 !== k2);
        expect(configHash({ compose: "", env: { [k1]: `${v1}\n${k2}=${v2}` } })).not.toBe(
          configHash({ compose: "", env: { [k1]: v1, [k2]: v2 } }),
        );
      }),
    );
  });

  it("changes with the secret key, so a stored hash cannot be checked against guessed secrets", () => {
    fc.assert(
      fc.property(input, secretKey, (value, otherKey) => {
        fc.pre(Object.keys(value.secrets).length > 0 && otherKey !== value.secretKey);
        expect(configHash({ ...value, secretKey: otherKey })).not.toBe(configHash(value));
      }),
    );
  });

  it("ignores the secret key when there are no secrets", () => {
    fc.assert(
      fc.property(input, (value) => {
        const { secretKey: _key, ...withoutKey } = value;
        expect(configHash({ ...value, secrets: {} })).toBe(configHash({ ...withoutKey, secrets: {} }));
      }),
    );
  });

  it("accepts the secret key as bytes like its UTF-8 string", () => {
    const base = { compose: "c", secrets: { S: "p" } };
    expect(configHash({ ...base, secretKey: new TextEncoder().encode("k") })).toBe(
      configHash({ ...base, secretKey: "k" }),
    );
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ["secrets without a secret key", { compose: "", secrets: { S: "p" } }, /needs a secretKey.*received undefined/],
    ["secrets with an empty secret key", { compose: "", secrets: { S: "p" }, secretKey: "" }, /received ""$/],
    ["a compose text that is not a string", { compose: 1 }, /compose: expected a string, received number/],
    [
      "an env value that is not a string",
      { compose: "", env: { A: 1 } },
      /env\["A"\]: expected a string, received number/,
    ],
    ["a secret given as bytes", { compose: "", secrets: { S: new Uint8Array() }, secretKey: "k" }, /secrets\["S"\]/],
    ["files given as an array", { compose: "", files: [] }, /files: expected an object, received array/],
    [
      "a file that is neither string nor bytes",
      { compose: "", files: { f: null } },
      /string or Uint8Array, received null/,
    ],
  ];

  it.each(invalid)("throws a TypeError for %s", (_name, value, message) => {
    expect(() => configHash(value as ConfigHashInput)).toThrow(TypeError);
    expect(() => configHash(value as ConfigHashInput)).toThrow(message);
    expect(() => configHash(value as ConfigHashInput)).toThrow(/^\[@iac\/sync\] /);
  });
});

describe("isConfigHash", () => {
  it.each([
    [`v2:${"a".repeat(64)}`, true],
    [`v2:${"A".repeat(64)}`, false],
    [`v2:${"a".repeat(63)}`, false],
    ["a".repeat(64), false],
    ["0123456789ab", false],
    [null, false],
  ])("isConfigHash(%j) is %s", (value, want) => {
    expect(isConfigHash(value)).toBe(want);
  });
});
