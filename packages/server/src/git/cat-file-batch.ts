import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { GitError } from "./run-git.js";

/** One object as `git cat-file --batch` answers it; null when the name resolves to nothing. */
export interface BatchObject {
  /** The object's id (for `<sha>^{commit}`, the commit's). */
  oid: string;
  type: string;
  content: Buffer;
}

/** Options of {@link createCatFileBatch}. */
export interface CatFileBatchOptions {
  git: string;
  /** The repository the process runs in. */
  cwd: string;
  /** Upper bound of one lookup; the process is killed (and started again by the next one) when it is exceeded. */
  timeoutMs: number;
}

/** A long-lived `git cat-file --batch`: object lookups without starting a process each. */
export interface CatFileBatch {
  /** Looks `name` up (`<commit>:<path>`, `<sha>^{commit}`); null when git reports it missing or ambiguous. */
  get(name: string): Promise<BatchObject | null>;
  /**
   * Stops the process and resolves once it exited; the next lookup starts a new one (after the repository was
   * replaced, for instance).
   */
  stop(): Promise<void>;
}

interface Pending {
  resolve(value: BatchObject | null): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

type BatchProcess = ChildProcessByStdio<Writable, Readable, null>;

/**
 * Keeps Node alive while lookups wait for answers, and only then: an idle reader never holds the process open (git
 * sees the end of its input and exits when Node does).
 */
function hold(child: BatchProcess, held: boolean): void {
  for (const handle of [child, child.stdin, child.stdout] as Array<{ ref?: () => void; unref?: () => void }>) {
    if (held) {
      handle.ref?.();
    } else {
      handle.unref?.();
    }
  }
}

/**
 * Starts `git cat-file --batch` on first use and sends it one name per line; answers come back in order. Spawning a
 * process blocks the event loop for a few milliseconds (more with a large heap on a busy host), and reading a file
 * used to take two: one process for every read of a busy runner serves them all. It never keeps Node alive.
 */
export function createCatFileBatch(options: CatFileBatchOptions): CatFileBatch {
  let child: BatchProcess | undefined;
  let buffer: Buffer = Buffer.alloc(0);
  const pending: Pending[] = [];

  const failAll = (error: Error): void => {
    for (const entry of pending.splice(0)) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  };

  const stop = (): Promise<void> => {
    const current = child;
    child = undefined;
    buffer = Buffer.alloc(0);
    failAll(new GitError("cat-file", null, false, "the object reader stopped"));
    if (current === undefined || current.exitCode !== null || current.signalCode !== null) {
      return Promise.resolve();
    }
    const exited = new Promise<void>((resolve) => current.once("exit", () => resolve()));
    // Closing its input ends git as well as the signal does, and also a process that ignores the signal.
    current.stdin.end();
    current.kill();
    return exited;
  };

  // Parses every complete answer in the buffer: "<sha> <type> <size>\n<content>\n" or "<name> missing\n".
  const drain = (): void => {
    for (;;) {
      const entry = pending[0];
      const newline = buffer.indexOf(10);
      if (entry === undefined || newline < 0) {
        return;
      }
      const header = buffer.subarray(0, newline).toString("utf8");
      const fields = header.split(" ");
      const size = Number(fields[2]);
      let value: BatchObject | null = null;
      let consumed = newline + 1;
      if (fields.length === 3 && Number.isSafeInteger(size)) {
        if (buffer.length < newline + 1 + size + 1) {
          return;
        }
        value = {
          oid: fields[0] ?? "",
          type: fields[1] ?? "",
          content: Buffer.from(buffer.subarray(newline + 1, newline + 1 + size)),
        };
        consumed = newline + 1 + size + 1;
      }
      buffer = buffer.subarray(consumed);
      pending.shift();
      clearTimeout(entry.timer);
      entry.resolve(value);
      if (pending.length === 0 && child !== undefined) {
        hold(child, false);
      }
    }
  };

  const start = (): BatchProcess => {
    const started = spawn(options.git, ["cat-file", "--batch"], {
      cwd: options.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" },
      stdio: ["pipe", "pipe", "ignore"],
      windowsHide: true,
    });
    started.stdout.on("data", (chunk: Buffer) => {
      // A stopped process may still answer (its output was in the pipe when a lookup timed out): that answer is to a
      // lookup that already failed, never to one of the process started since.
      if (child !== started) {
        return;
      }
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      drain();
    });
    const ended = (detail: string) => (): void => {
      if (child === started) {
        child = undefined;
        buffer = Buffer.alloc(0);
        failAll(new GitError("cat-file", null, false, detail));
      }
    };
    started.on("error", ended(`could not run ${JSON.stringify(options.git)}`));
    started.on("exit", ended("the object reader exited"));
    started.stdin.on("error", () => undefined);
    hold(started, false);
    return started;
  };

  return {
    get(name) {
      if (name.includes("\n")) {
        return Promise.reject(new TypeError("[@iac/server] invalid object name: it contains a line break"));
      }
      child ??= start();
      const current = child;
      return new Promise<BatchObject | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new GitError("cat-file", null, true, `timed out after ${options.timeoutMs} ms`));
          if (child === current) {
            void stop();
          }
        }, options.timeoutMs);
        pending.push({ resolve, reject, timer });
        hold(current, true);
        current.stdin.write(`${name}\n`);
      });
    },
    stop,
  };
}
