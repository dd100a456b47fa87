import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePushHead, readPushRef } from "../src/index.js";

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const pushExamples = definitions.find((definition) => definition.name === "push")?.examples ?? [];

const SHA_A = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const SHA_B = "a10867b14bb761a232cd80139fbd4c0d33264240";
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
/** A body as GitHub writes it: compact JSON, `ref`, `before` and `after` first. */
const body = (ref: string, before = SHA_A, after = SHA_B, rest: Record<string, unknown> = { commits: [] }) =>
  bytes(JSON.stringify({ ref, before, after, ...rest }));

describe("readPushRef()", () => {
  it.each(pushExamples.map((event, index) => [index, event] as const))(
    "reads what parsePushHead reads from GitHub's example %i",
    (_index, event) => {
      const head = parsePushHead(event);
      expect(readPushRef(bytes(JSON.stringify(event)))).toEqual({
        ref: head.ref,
        branch: head.branch,
        tag: head.tag,
        before: head.before,
        after: head.after,
      });
    },
  );

  it("names the branch or the tag", () => {
    expect(readPushRef(body("refs/heads/feature/x"))).toEqual({
      ref: "refs/heads/feature/x",
      branch: "feature/x",
      tag: null,
      before: SHA_A,
      after: SHA_B,
    });
    expect(readPushRef(body("refs/tags/v1.2.3"))).toMatchObject({ branch: null, tag: "v1.2.3" });
    expect(readPushRef(body("refs/notes/commits"))).toMatchObject({ branch: null, tag: null });
  });

  it("reads every printable ASCII character a ref may hold", () => {
    expect(readPushRef(body("refs/heads/a~b!#$%&'()*+,-.:;<=>?@[]^_`{|}"))).toMatchObject({
      branch: "a~b!#$%&'()*+,-.:;<=>?@[]^_`{|}",
    });
  });

  it("reads SHA-256 commits", () => {
    const [before, after] = ["a".repeat(64), "b".repeat(64)];
    expect(readPushRef(body("refs/heads/main", before, after))).toMatchObject({ before, after });
  });

  it("never reads past the three keys: the rest may be anything", () => {
    const start = '{"ref":"refs/heads/x","before":"' + SHA_A + '","after":"' + SHA_B + '"';
    expect(readPushRef(bytes(`${start},"commits":[oops`))).toMatchObject({ branch: "x" });
    expect(readPushRef(bytes(`${start}`))).toMatchObject({ branch: "x" });
  });

  it.each([
    ["an empty body", ""],
    ["whitespace before the first key", ` ${new TextDecoder().decode(body("refs/heads/main"))}`],
    ["pretty-printed JSON", JSON.stringify({ ref: "refs/heads/main", before: SHA_A, after: SHA_B }, null, 2)],
    ["another key first", JSON.stringify({ before: SHA_A, ref: "refs/heads/main", after: SHA_B })],
    ["after before before", JSON.stringify({ ref: "refs/heads/main", after: SHA_B, before: SHA_A })],
    ["an escaped ref", '{"ref":"refs/heads/ma\\u0069n","before":"' + SHA_A + '","after":"' + SHA_B + '"}'],
    ["a ref with a quote", JSON.stringify({ ref: 'refs/heads/a"b', before: SHA_A, after: SHA_B })],
    ["a non-ASCII ref", JSON.stringify({ ref: "refs/heads/café", before: SHA_A, after: SHA_B })],
    ["a ref outside refs/", JSON.stringify({ ref: "main", before: SHA_A, after: SHA_B })],
    ["a ref with a space", JSON.stringify({ ref: "refs/heads/a b", before: SHA_A, after: SHA_B })],
    ["an upper-case SHA", JSON.stringify({ ref: "refs/heads/main", before: SHA_A.toUpperCase(), after: SHA_B })],
    ["a short SHA", JSON.stringify({ ref: "refs/heads/main", before: SHA_A, after: SHA_B.slice(1) })],
    ["a SHA that is not a string", '{"ref":"refs/heads/main","before":"' + SHA_A + '","after":null}'],
    ["a body cut in the ref", '{"ref":"refs/heads/ma'],
    ["a body cut in a SHA", '{"ref":"refs/heads/main","before":"' + SHA_A.slice(0, 20)],
    [
      "a ref longer than any push has",
      JSON.stringify({ ref: `refs/heads/${"a".repeat(1_100)}`, before: SHA_A, after: SHA_B }),
    ],
    ["another first key of the same length", JSON.stringify({ REF: "refs/heads/main", before: SHA_A, after: SHA_B })],
    ["another second key of the same length", JSON.stringify({ ref: "refs/heads/main", BEFORE: SHA_A, after: SHA_B })],
    ["another third key of the same length", JSON.stringify({ ref: "refs/heads/main", before: SHA_A, AFTER: SHA_B })],
    ["a raw control character in the ref", `{"ref":"refs/heads/a\u001fb","before":"${SHA_A}","after":"${SHA_B}"}`],
    ["a raw DEL in the ref", `{"ref":"refs/heads/a\u007fb","before":"${SHA_A}","after":"${SHA_B}"}`],
  ])("leaves %s to the JSON parser", (_case, text) => {
    expect(readPushRef(bytes(text))).toBeUndefined();
  });

  it("agrees with parsePushHead on every compact payload it reads", () => {
    const name = fc.stringMatching(/^[\w./@-]{1,40}$/);
    const sha = fc.stringMatching(/^(?:[0-9a-f]{40}|[0-9a-fA-F]{40})$/);
    const ref = fc.oneof(
      name.map((n) => `refs/heads/${n}`),
      name.map((n) => `refs/tags/${n}`),
      name,
    );
    fc.assert(
      fc.property(ref, sha, sha, (r, before, after) => {
        const payload = { ref: r, before, after, created: false, deleted: false, forced: false, commits: [] };
        const read = readPushRef(bytes(JSON.stringify(payload)));
        let head: ReturnType<typeof parsePushHead> | undefined;
        try {
          head = parsePushHead(payload);
        } catch {
          head = undefined;
        }
        // Read only what parsePushHead accepts, and then the same.
        expect(read).toEqual(
          head === undefined
            ? undefined
            : { ref: head.ref, branch: head.branch, tag: head.tag, before: head.before, after: head.after },
        );
      }),
    );
  });
});
