import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { PushEventError, parsePushEvent, parsePushHead } from "../src/index.js";

interface PushExample {
  ref: string;
  before: string;
  after: string;
  created: boolean;
  deleted: boolean;
  forced: boolean;
  [field: string]: unknown;
}

interface WebhookDefinition {
  name: string;
  examples: PushExample[];
}

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
const pushExamples = definitions.find((definition) => definition.name === "push")?.examples ?? [];

const ZERO = "0".repeat(40);
const SHA_A = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";
const SHA_B = "a10867b14bb761a232cd80139fbd4c0d33264240";

function example(ref: string, created: boolean, deleted: boolean): PushExample {
  const found = pushExamples.find(
    (event) => event.ref === ref && event.created === created && event.deleted === deleted,
  );
  if (found === undefined) {
    throw new Error(`no push example for ${ref} created=${created} deleted=${deleted}`);
  }
  return structuredClone(found);
}

/** A plain branch update built from GitHub's example, with the given commits' file lists. */
function branchUpdate(commits: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...example("refs/heads/master", true, false),
    before: SHA_A,
    after: SHA_B,
    created: false,
    commits,
    ...overrides,
  };
}

function commit(added: string[] = [], modified: string[] = [], removed: string[] = []): Record<string, unknown> {
  return { id: SHA_B, message: "change", added, modified, removed };
}

describe("parsePushEvent() on GitHub's example payloads", () => {
  it("finds the push examples", () => {
    expect(pushExamples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(pushExamples.map((event, index) => [index, event] as const))("parses example %i", (_index, event) => {
    const push = parsePushEvent(event);
    expect(push.ref).toBe(event.ref);
    expect(push.before).toBe(event.before);
    expect(push.after).toBe(event.after);
    expect(push.created).toBe(event.created);
    expect(push.deleted).toBe(event.deleted);
    expect(push.forced).toBe(event.forced);
    // Every example creates or deletes its ref, so none describes the whole change.
    expect(push.complete).toBe(false);
  });

  it("reads a new branch: name, files of its first commit, not complete", () => {
    expect(parsePushEvent(example("refs/heads/master", true, false))).toEqual({
      ref: "refs/heads/master",
      branch: "master",
      tag: null,
      before: ZERO,
      after: SHA_A,
      created: true,
      deleted: false,
      forced: false,
      files: { added: ["README.md"], modified: [], removed: [] },
      complete: false,
    });
  });

  it("reads a tag push", () => {
    const push = parsePushEvent(example("refs/tags/simple-tag", true, false));
    expect(push).toMatchObject({ branch: null, tag: "simple-tag", created: true, complete: false });
    expect(push.files).toEqual({ added: [], modified: [], removed: [] });
  });

  it("reads a deleted tag", () => {
    const push = parsePushEvent(example("refs/tags/simple-tag", false, true));
    expect(push).toMatchObject({ tag: "simple-tag", deleted: true, after: ZERO, complete: false });
  });
});

describe("parsePushEvent() completeness", () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    ["a plain update of a branch", branchUpdate([commit(["a"])]), true],
    ["a forced push", branchUpdate([commit(["a"])], { forced: true }), false],
    ["a new branch", branchUpdate([commit(["a"])], { created: true, before: ZERO }), false],
    ["a deleted branch", branchUpdate([], { deleted: true, after: ZERO }), false],
    ["a before of zeros without the created flag", branchUpdate([commit(["a"])], { before: ZERO }), false],
    ["a before that only starts with zeros", branchUpdate([commit(["a"])], { before: `00${SHA_A.slice(2)}` }), true],
    ["an after that only starts with zeros", branchUpdate([commit(["a"])], { after: `0${SHA_B.slice(1)}` }), true],
    ["2047 commits", branchUpdate(Array.from({ length: 2047 }, () => commit(["a"]))), true],
    ["2048 commits (GitHub's cap)", branchUpdate(Array.from({ length: 2048 }, () => commit(["a"]))), false],
    ["a commit without its modified list", branchUpdate([{ id: SHA_B, added: ["a"], removed: [] }]), false],
    ["no commits although before and after differ", branchUpdate([]), false],
    ["no commits and an unchanged head", branchUpdate([], { before: SHA_B }), true],
    ["a SHA-256 repository", branchUpdate([commit(["a"])], { before: "a".repeat(64), after: "b".repeat(64) }), true],
    [
      "a new branch of a SHA-256 repository",
      branchUpdate([commit(["a"])], { before: "0".repeat(64), after: "b".repeat(64) }),
      false,
    ],
  ])("is %s complete: %s", (_case, payload, complete) => {
    expect(parsePushEvent(payload).complete).toBe(complete);
  });

  it("still lists the files it has when a commit lacks some lists", () => {
    const push = parsePushEvent(branchUpdate([{ id: SHA_B, added: ["a"] }, commit([], ["b"])]));
    expect(push.files).toEqual({ added: ["a"], modified: ["b"], removed: [] });
  });

  it.each([
    ["refs/heads/feature/login", "feature/login", null],
    ["refs/tags/v1.2.3", null, "v1.2.3"],
    ["refs/notes/commits", null, null],
    ["refs/heads/", null, null],
  ])("names branch and tag of %s", (ref, branch, tag) => {
    expect(parsePushEvent(branchUpdate([], { ref, before: SHA_B }))).toMatchObject({ branch, tag });
  });
});

describe("parsePushEvent() file merging", () => {
  it.each<[string, unknown[], { added: string[]; modified: string[]; removed: string[] }]>([
    [
      "removes duplicates across commits, keeping first-seen order",
      [commit([], ["b", "a"]), commit([], ["c", "a"]), commit([], ["b"])],
      { added: [], modified: ["b", "a", "c"], removed: [] },
    ],
    [
      "keeps a file added then modified as added",
      [commit(["x"]), commit([], ["x"])],
      { added: ["x"], modified: [], removed: [] },
    ],
    [
      "drops a file added then removed",
      [commit(["x", "y"]), commit([], [], ["x"])],
      { added: ["y"], modified: [], removed: [] },
    ],
    [
      "reports a file removed then added again as modified",
      [commit([], [], ["x"]), commit(["x"])],
      { added: [], modified: ["x"], removed: [] },
    ],
    [
      "reports a file modified then removed as removed",
      [commit([], ["x"]), commit([], [], ["x"])],
      { added: [], modified: [], removed: ["x"] },
    ],
    [
      "reports a file added, removed and added again as added in its first slot",
      [commit(["x"]), commit(["y"]), commit([], [], ["x"]), commit(["x"])],
      { added: ["x", "y"], modified: [], removed: [] },
    ],
    [
      "reports both sides of a rename",
      [commit(["new/compose.yaml"], [], ["old/compose.yaml"])],
      { added: ["new/compose.yaml"], modified: [], removed: ["old/compose.yaml"] },
    ],
  ])("%s", (_case, commits, files) => {
    expect(parsePushEvent(branchUpdate(commits)).files).toEqual(files);
  });
});

describe("parsePushEvent() invalid shapes", () => {
  const commits = [commit(["a"]), commit(["b"]), commit(["c"]), commit(["d"])];
  it.each<[string, unknown, string, string]>([
    ["a string payload", "{}", "payload", 'must be an object, received "{}"'],
    ["a null payload", null, "payload", "must be an object, received null"],
    ["an array payload", [], "payload", "must be an object, received array"],
    [
      "a missing ref",
      branchUpdate(commits, { ref: undefined }),
      "ref",
      'must be a full ref such as "refs/heads/main", received undefined',
    ],
    [
      "a short ref",
      branchUpdate(commits, { ref: "main" }),
      "ref",
      'must be a full ref such as "refs/heads/main", received "main"',
    ],
    [
      "a before with an extra digit",
      branchUpdate(commits, { before: `${SHA_A}0` }),
      "before",
      `must be a commit SHA of 40 (or 64) lower-case hex digits, received "${SHA_A}…"`,
    ],
    [
      "an after with a leading character",
      branchUpdate(commits, { after: `x${SHA_B}` }),
      "after",
      `must be a commit SHA of 40 (or 64) lower-case hex digits, received "x${SHA_B.slice(0, 39)}…"`,
    ],
    [
      "a short before",
      branchUpdate(commits, { before: "abc" }),
      "before",
      'must be a commit SHA of 40 (or 64) lower-case hex digits, received "abc"',
    ],
    [
      "an upper-case after",
      branchUpdate(commits, { after: SHA_B.toUpperCase() }),
      "after",
      `must be a commit SHA of 40 (or 64) lower-case hex digits, received "${SHA_B.toUpperCase()}"`,
    ],
    [
      "a string created flag",
      branchUpdate(commits, { created: "false" }),
      "created",
      'must be a boolean, received "false"',
    ],
    [
      "a missing deleted flag",
      branchUpdate(commits, { deleted: undefined }),
      "deleted",
      "must be a boolean, received undefined",
    ],
    ["a null forced flag", branchUpdate(commits, { forced: null }), "forced", "must be a boolean, received null"],
    [
      "missing commits",
      branchUpdate(commits, { commits: undefined }),
      "commits",
      "must be an array, received undefined",
    ],
    [
      "a commit that is not an object",
      branchUpdate([commit(), "abc"]),
      "commits[1]",
      'must be an object, received "abc"',
    ],
    [
      "a file list that is a number",
      branchUpdate([...commits.slice(0, 3), { ...commit(), added: 3 }]),
      "commits[3].added",
      "must be an array of strings, received number",
    ],
    [
      "a path that is not a string",
      branchUpdate([commit(), { ...commit(), removed: ["ok", 7] }]),
      "commits[1].removed[1]",
      "must be a non-empty string, received number",
    ],
    [
      "an empty path",
      branchUpdate([{ ...commit(), modified: [""] }]),
      "commits[0].modified[0]",
      'must be a non-empty string, received ""',
    ],
  ])("throws a PushEventError naming the field for %s", (_case, payload, field, problem) => {
    let thrown: unknown;
    try {
      parsePushEvent(payload);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PushEventError);
    expect(thrown).not.toBeInstanceOf(TypeError);
    expect(thrown).toMatchObject({
      name: "PushEventError",
      field,
      message: `[@iac/sync] invalid push event: ${field} ${problem}`,
    });
  });
});

describe("parsePushHead()", () => {
  it("reads the same ref, commits and flags as parsePushEvent, and nothing else", () => {
    for (const payload of [...pushExamples, branchUpdate([commit(["a"])], { forced: true })]) {
      const { files: _files, complete: _complete, ...head } = parsePushEvent(payload);
      expect(parsePushHead(payload)).toEqual(head);
    }
  });

  it.each([
    ["missing commits", { commits: undefined }],
    ["commits that are not an array", { commits: { added: [] } }],
    ["a commit whose file list holds a number", { commits: [{ ...commit(), added: [1] }] }],
  ])("leaves the commits unread: %s", (_case, overrides) => {
    const payload = branchUpdate([], { ref: "refs/heads/feature", ...overrides });
    expect(() => parsePushEvent(payload)).toThrow(PushEventError);
    expect(parsePushHead(payload)).toEqual({
      ref: "refs/heads/feature",
      branch: "feature",
      tag: null,
      before: SHA_A,
      after: SHA_B,
      created: false,
      deleted: false,
      forced: false,
    });
  });

  it.each<[string, unknown]>([
    ["a null payload", null],
    ["a short ref", branchUpdate([], { ref: "main" })],
    ["an upper-case before", branchUpdate([], { before: SHA_A.toUpperCase() })],
    ["a short after", branchUpdate([], { after: "abc" })],
    ["a string created flag", branchUpdate([], { created: "false" })],
    ["a missing deleted flag", branchUpdate([], { deleted: undefined })],
    ["a null forced flag", branchUpdate([], { forced: null })],
  ])("refuses %s with the error parsePushEvent throws", (_case, payload) => {
    let expected: unknown;
    try {
      parsePushEvent(payload);
    } catch (error) {
      expected = error;
    }
    expect(expected).toBeInstanceOf(PushEventError);
    expect(() => parsePushHead(payload)).toThrow(expected as Error);
    try {
      parsePushHead(payload);
    } catch (error) {
      expect(error).toMatchObject({ field: (expected as PushEventError).field });
    }
  });
});

describe("PushEventError", () => {
  it("is an Error named PushEventError with the field and the message", () => {
    const error = new PushEventError("commits[3].added", "must be an array of strings, received number");
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("PushEventError");
    expect(error.field).toBe("commits[3].added");
    expect(error.message).toBe(
      "[@iac/sync] invalid push event: commits[3].added must be an array of strings, received number",
    );
    expect(String(error)).toBe(
      "PushEventError: [@iac/sync] invalid push event: commits[3].added must be an array of strings, received number",
    );
  });
});
