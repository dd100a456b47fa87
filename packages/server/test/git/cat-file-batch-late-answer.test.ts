import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createCatFileBatch } from "../../src/git/cat-file-batch.js";
import { GitError } from "../../src/git/run-git.js";
import { cleanupTemp, makeTemp } from "../helpers/git-repo.js";

/**
 * A stand-in for `git cat-file --batch` that answers each name with a blob holding the name itself. The first process
 * started ignores SIGTERM and holds its answer until the test creates `release`, then writes it and creates `sent`;
 * every later process waits for `sent` (and a little more), so the stale answer reaches the reader first.
 */
function lateGit(dir: string): string {
  const script = join(dir, "late-git.sh");
  writeFileSync(
    script,
    `#!/bin/sh
dir=${JSON.stringify(dir)}
first=""
if mkdir "$dir/started" 2>/dev/null; then
  first=yes
  trap '' TERM
fi
answer() {
  printf '%040d blob %d\\n%s\\n' 0 "\${#1}" "$1"
}
while read -r name; do
  if [ -n "$first" ]; then
    while [ ! -e "$dir/release" ]; do sleep 0.01; done
    answer "$name"
    : > "$dir/sent"
    exit 0
  fi
  while [ ! -e "$dir/sent" ]; do sleep 0.01; done
  sleep 0.2
  answer "$name"
done
`,
  );
  chmodSync(script, 0o755);
  return script;
}

describe("createCatFileBatch after a timed-out lookup", () => {
  const made: string[] = [];

  afterEach(() => {
    cleanupTemp(...made.splice(0));
  });

  it("never takes the stopped process's late answer for the next lookup", async () => {
    const dir = makeTemp();
    made.push(dir);
    // The first lookup waits out its timeout; the second is answered well within it (about 0.3 s).
    const batch = createCatFileBatch({ git: lateGit(dir), cwd: dir, timeoutMs: 1_500 });
    const first = batch.get("HEAD:first.txt").catch((error: unknown) => error);
    expect(await first).toBeInstanceOf(GitError);
    expect(((await first) as GitError).timedOut).toBe(true);

    const second = batch.get("HEAD:second.txt");
    writeFileSync(join(dir, "release"), "");
    expect((await second)?.content.toString("utf8")).toBe("HEAD:second.txt");
    expect((await batch.get("HEAD:third.txt"))?.content.toString("utf8")).toBe("HEAD:third.txt");
    await batch.stop();
  });
});
