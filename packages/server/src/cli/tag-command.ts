import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { nextStagingTag, parseVersionTag, promoteTag } from "@iac/sync";
import { GitError, runGit } from "../git/run-git.js";
import { type CliIo, UsageError } from "./cli-io.js";
import { TAG_NEXT_USAGE, TAG_PROMOTE_USAGE, TAG_USAGE } from "./usage.js";

const GIT_TIMEOUT_MS = 30_000;

const OPTIONS = {
  repo: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

type TagsOrError = { tags: string[] } | { error: string };

/** The tags of the repository in `dir`, or a one-line reason why they cannot be read. */
async function readTags(dir: string): Promise<TagsOrError> {
  // A missing working directory makes the spawn fail as if git itself were missing, so it is checked first.
  const isDirectory = await stat(dir).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    return { error: `[@iac/server] expected --repo to be a directory, received ${JSON.stringify(dir)}` };
  }
  try {
    // `column.tag` in a user's config would otherwise put several tags on one line.
    const { stdout } = await runGit("git", ["tag", "--list", "--no-column"], { cwd: dir, timeoutMs: GIT_TIMEOUT_MS });
    return { tags: stdout.toString("utf8").split("\n").filter(Boolean) };
  } catch (error) {
    if (error instanceof GitError) {
      return { error: `${error.message} (in ${dir})` };
    }
    throw error;
  }
}

/** Writes the result of a subcommand: the tag on stdout (exit 0) or the reason on stderr (exit 1). */
function report(io: CliIo, result: { tag: string } | { error: string }): number {
  if ("error" in result) {
    io.stderr(`iac-runner tag: ${result.error}\n`);
    return 1;
  }
  io.stdout(`${result.tag}\n`);
  return 0;
}

async function nextCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    io.stdout(TAG_NEXT_USAGE);
    return 0;
  }
  const read = await readTags(resolve(values.repo ?? "."));
  return report(io, "error" in read ? read : { tag: nextStagingTag(read.tags) });
}

async function promoteCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(TAG_PROMOTE_USAGE);
    return 0;
  }
  const [stagingTag, ...extra] = positionals;
  if (stagingTag === undefined || extra.length > 0) {
    throw new UsageError(`expected one staging tag, received ${positionals.length} arguments`, TAG_PROMOTE_USAGE);
  }
  if (parseVersionTag(stagingTag) === null) {
    throw new UsageError(
      `expected a staging tag vMAJOR.MINOR.PATCH such as "v1.2.4", received ${JSON.stringify(stagingTag)}`,
      TAG_PROMOTE_USAGE,
    );
  }
  const read = await readTags(resolve(values.repo ?? "."));
  if ("error" in read) {
    return report(io, read);
  }
  try {
    return report(io, { tag: promoteTag(stagingTag, read.tags) });
  } catch (error) {
    // The format was checked above, so what is left is a missing staging tag or a production tag that exists.
    return report(io, { error: (error as Error).message });
  }
}

interface Subcommand {
  run(args: readonly string[], io: CliIo): Promise<number>;
  usage: string;
}

const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  next: { run: nextCommand, usage: TAG_NEXT_USAGE },
  promote: { run: promoteCommand, usage: TAG_PROMOTE_USAGE },
};

function subcommandOf(args: readonly string[]): Subcommand | undefined {
  const [first] = args;
  return first !== undefined && Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
}

/** The usage of `iac-runner tag` for `args` (the arguments after `tag`): the subcommand's, else the command's. */
export function tagUsage(args: readonly string[]): string {
  return subcommandOf(args)?.usage ?? TAG_USAGE;
}

/** `iac-runner tag next | promote`: prints a release tag computed from a repository's tags. Returns the exit code. */
export async function tagCommand(args: readonly string[], io: CliIo): Promise<number> {
  const subcommand = subcommandOf(args);
  if (subcommand !== undefined) {
    return subcommand.run(args.slice(1), io);
  }
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { help: OPTIONS.help },
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length > 0) {
    throw new UsageError(`unknown tag command ${JSON.stringify(positionals[0])}`, TAG_USAGE);
  }
  if (values.help) {
    io.stdout(TAG_USAGE);
    return 0;
  }
  throw new UsageError("missing tag command: expected next or promote", TAG_USAGE);
}
