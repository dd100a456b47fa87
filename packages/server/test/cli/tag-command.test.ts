import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";
import { captureIo } from "../helpers/capture-io.js";
import { cleanupTemp, createTestRepo, makeTemp, type TestRepo } from "../helpers/git-repo.js";

const CLI = fileURLToPath(new URL("../../src/cli.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const temps: string[] = [];

/** A repository with one commit carrying `tags` (the first annotated, to cover both kinds). */
function repoWithTags(...tags: string[]): TestRepo {
  const repo = createTestRepo();
  temps.push(repo.dir);
  repo.commit({ "README.md": "infra\n" });
  for (const [index, tag] of tags.entries()) {
    repo.tag(tag, { annotated: index === 0 });
  }
  return repo;
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const cli = captureIo();
  const code = await runCli(argv, cli);
  return { code, out: cli.out, err: cli.err };
}

afterEach(() => {
  cleanupTemp(...temps.splice(0));
});

describe("iac-runner tag next", () => {
  it.each([
    ["v1.0.0 when the repository has no tags", [], "v1.0.0"],
    ["the patch after the highest version, compared as numbers", ["v1.2.3", "v1.10.0", "v1.9.9"], "v1.10.1"],
    [
      "the patch after the highest release, ignoring pre-releases and other names",
      ["v1.2.3", "v1.10.0", "v1.9.9", "v2.0.0-rc.1", "release-x"],
      "v1.10.1",
    ],
  ])("prints %s", async (_name, tags, want) => {
    const repo = repoWithTags(...tags);
    expect(await run(["tag", "next", "--repo", repo.dir])).toEqual({ code: 0, out: `${want}\n`, err: "" });
  });

  it("prints v1.0.0 for a repository without any commit", async () => {
    const repo = createTestRepo();
    temps.push(repo.dir);
    expect(await run(["tag", "next", "--repo", repo.dir])).toEqual({ code: 0, out: "v1.0.0\n", err: "" });
  });

  it("reads one tag a line even when the repository asks git for columns", async () => {
    const repo = repoWithTags("v1.2.3", "v1.2.4", "v1.2.5");
    repo.git("config", "column.tag", "always");
    expect(await run(["tag", "next", "--repo", repo.dir])).toEqual({ code: 0, out: "v1.2.6\n", err: "" });
  });

  it("reads the repository in the current directory when --repo is not given", () => {
    const repo = repoWithTags("v0.4.7");
    const child = spawnSync(process.execPath, ["--import", TSX, CLI, "tag", "next"], {
      cwd: repo.dir,
      encoding: "utf8",
    });
    expect({ status: child.status, stdout: child.stdout, stderr: child.stderr }).toEqual({
      status: 0,
      stdout: "v0.4.8\n",
      stderr: "",
    });
  });

  it("fails with exit 1 and one line naming the directory when it is not a git repository", async () => {
    const dir = makeTemp();
    temps.push(dir);
    const { code, out, err } = await run(["tag", "next", "--repo", dir]);
    expect(code).toBe(1);
    expect(out).toBe("");
    expect(err.trim().split("\n")).toHaveLength(1);
    expect(err).toMatch(/^iac-runner tag: .*not a git repository/);
    expect(err).toContain(dir);
  });

  it("fails with exit 1 when --repo is not a directory", async () => {
    const dir = join(makeTemp(), "missing");
    temps.push(dir);
    const { code, err } = await run(["tag", "next", "--repo", dir]);
    expect(code).toBe(1);
    expect(err).toBe(
      `iac-runner tag: [@iac/server] expected --repo to be a directory, received ${JSON.stringify(dir)}\n`,
    );
  });
});

describe("iac-runner tag promote", () => {
  it.each([
    ["v1.2.4", ["v1.2.3", "v1.2.4"], "v1.3.0"],
    ["v1.9.9", ["v1.9.9", "v1.9.10"], "v1.10.0"],
    ["v2.0.3", ["v1.3.0", "v2.0.3"], "v2.1.0"],
  ] as const)("promotes %s to the next minor", async (staging, tags, want) => {
    const repo = repoWithTags(...tags);
    expect(await run(["tag", "promote", staging, "--repo", repo.dir])).toEqual({
      code: 0,
      out: `${want}\n`,
      err: "",
    });
  });

  it("fails with exit 1 and one line when the staging tag is not in the repository", async () => {
    const repo = repoWithTags("v1.2.3");
    const { code, out, err } = await run(["tag", "promote", "v1.2.4", "--repo", repo.dir]);
    expect({ code, out }).toEqual({ code: 1, out: "" });
    expect(err).toMatch(/^iac-runner tag: \[@iac\/sync\] cannot promote v1\.2\.4: expected an existing tag.*\n$/);
    expect(err.trim().split("\n")).toHaveLength(1);
  });

  it("fails with exit 1 when the production tag exists already", async () => {
    const repo = repoWithTags("v1.2.4", "v1.3.0");
    const { code, out, err } = await run(["tag", "promote", "v1.2.4", "--repo", repo.dir]);
    expect({ code, out }).toEqual({ code: 1, out: "" });
    expect(err).toMatch(/^iac-runner tag: .*cannot promote v1\.2\.4: expected v1\.3\.0 to be free, but it exists/);
  });

  it("fails with exit 1 and no stack trace outside a git repository", async () => {
    const dir = makeTemp();
    temps.push(dir);
    const { code, err } = await run(["tag", "promote", "v1.2.4", "--repo", dir]);
    expect(code).toBe(1);
    expect(err).toMatch(/^iac-runner tag: .*not a git repository.*\n$/);
    expect(err).not.toMatch(/\n\s+at /);
  });
});

describe("iac-runner tag usage", () => {
  it.each([
    [["tag", "--help"], /^Usage: iac-runner tag <next \| promote>/],
    [["tag", "-h"], /^Usage: iac-runner tag <next \| promote>/],
    [["tag", "next", "--help"], /^Usage: iac-runner tag next \[--repo <dir>\]/],
    [["tag", "promote", "--help"], /^Usage: iac-runner tag promote <staging-tag>/],
    [["--help"], /\n {2}tag +Print the next staging tag/],
  ])("prints help for %j and exits 0", async (argv, pattern) => {
    const { code, out, err } = await run(argv);
    expect({ code, err }).toEqual({ code: 0, err: "" });
    expect(out).toMatch(pattern);
  });

  it.each([
    [["tag"], /missing tag command/, /Usage: iac-runner tag <next/],
    [["tag", "latest"], /unknown tag command "latest"/, /Usage: iac-runner tag <next/],
    [["tag", "--repo", "."], /--repo/, /Usage: iac-runner tag <next/],
    [["tag", "next", "extra"], /extra/, /Usage: iac-runner tag next/],
    [["tag", "next", "--repo"], /--repo/, /Usage: iac-runner tag next/],
    [["tag", "promote"], /expected one staging tag, received 0 arguments/, /Usage: iac-runner tag promote/],
    [["tag", "promote", "v1.2.3", "v1.2.4"], /received 2 arguments/, /Usage: iac-runner tag promote/],
    [["tag", "promote", "-x"], /'-x'/, /Usage: iac-runner tag promote/],
    [["tag", "promote", "--", "-x"], /received "-x"/, /Usage: iac-runner tag promote/],
    [["tag", "promote", "v1..2"], /expected a staging tag vMAJOR\.MINOR\.PATCH .*received "v1\.\.2"/, /promote/],
    [["tag", "promote", "v1.2.4-rc.1"], /received "v1\.2\.4-rc\.1"/, /Usage: iac-runner tag promote/],
  ])("exits 2 with the usage for %j", async (argv, message, usage) => {
    const { code, out, err } = await run(argv);
    expect({ code, out }).toEqual({ code: 2, out: "" });
    expect(err).toMatch(message);
    expect(err).toMatch(usage);
  });
});
