import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** One command a {@link RecordingGit} ran: the pid it ran as (the real git's too), and its arguments. */
export interface RecordedCommand {
  pid: number;
  args: string[];
}

/** A `git` that notes every command it runs, for tests that count what the mirror does. */
export interface RecordingGit {
  /** The directory holding the script, named `git`: pass `${dir}/git` as the mirror's `git`, or put `dir` on PATH. */
  readonly dir: string;
  readonly path: string;
  /** The commands run so far, oldest first. */
  commands(): RecordedCommand[];
  /** How many fresh repositories were made for a rebuild (`git init --bare` of a `mirror.git.tmp-` directory). */
  rebuilds(): number;
  /** From now on, a `git cat-file` waits to start until {@link releaseCatFile}: a read is held open. */
  holdCatFile(): void;
  releaseCatFile(): void;
}

/** Writes a {@link RecordingGit} into `dir`; it notes the command, then becomes the real git (same pid). */
export function createRecordingGit(dir: string): RecordingGit {
  const realGit = execFileSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).trim();
  const log = join(dir, "git-commands.log");
  const hold = join(dir, "hold-cat-file");
  const path = join(dir, "git");
  writeFileSync(log, "");
  // One line per command: its pid, then its arguments, separated by tabs (no test argument holds one).
  writeFileSync(
    path,
    `#!/bin/sh
(IFS='\t'; printf '%s\\t%s\\n' "$$" "$*") >> ${JSON.stringify(log)}
if [ "$1" = cat-file ]; then
  while [ -e ${JSON.stringify(hold)} ]; do sleep 0.01; done
fi
exec ${JSON.stringify(realGit)} "$@"
`,
  );
  chmodSync(path, 0o755);
  const commands = (): RecordedCommand[] =>
    readFileSync(log, "utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const [pid, ...args] = line.split("\t");
        return { pid: Number(pid), args };
      });
  return {
    dir,
    path,
    commands,
    rebuilds: () =>
      commands().filter(({ args: [command, , , target] }) => command === "init" && target?.includes("mirror.git.tmp-"))
        .length,
    holdCatFile: () => writeFileSync(hold, ""),
    releaseCatFile: () => rmSync(hold, { force: true }),
  };
}
