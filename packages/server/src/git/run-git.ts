import { execFile } from "node:child_process";

/** Options of one git invocation. */
export interface RunGitOptions {
  /** Working directory (the bare mirror) or undefined for commands that create it. */
  cwd?: string | undefined;
  timeoutMs: number;
  /** Exit codes that are answers rather than failures (e.g. 1 for `show-ref --verify --quiet`). */
  allowExitCodes?: readonly number[] | undefined;
}

/** Result of one git invocation: stdout as bytes and the exit code. */
export interface RunGitResult {
  stdout: Buffer;
  code: number;
}

/** A git invocation failed: non-zero exit, timeout or missing binary. `message` is safe to log and to show. */
export class GitError extends Error {
  override readonly name = "GitError";
  /** The git subcommand that failed, e.g. "fetch". */
  readonly command: string;
  /** Exit code, or null when the process was killed (timeout) or could not start. */
  readonly exitCode: number | null;
  readonly timedOut: boolean;

  constructor(command: string, exitCode: number | null, timedOut: boolean, detail: string) {
    super(`[@iac/server] git ${command} failed: ${detail}`);
    this.command = command;
    this.exitCode = exitCode;
    this.timedOut = timedOut;
  }
}

/** Removes credentials from URLs (`https://user:token@host` → `https://***@host`) so git output can be logged. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}

const MAX_BUFFER = 256 * 1024 * 1024;

/**
 * Runs `git` with an argument array (never a shell). Prompts are disabled so a missing credential fails at once
 * instead of hanging, and output is not localised so errors read the same everywhere.
 */
export function runGit(git: string, args: readonly string[], options: RunGitOptions): Promise<RunGitResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: "0",
    GIT_LITERAL_PATHSPECS: "1",
    LC_ALL: "C",
  };
  const command = args.find((arg) => !arg.startsWith("-") && !arg.includes("=")) ?? "";
  return new Promise((resolve, reject) => {
    execFile(
      git,
      args,
      {
        cwd: options.cwd,
        env,
        encoding: "buffer",
        maxBuffer: MAX_BUFFER,
        timeout: options.timeoutMs,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, code: 0 });
          return;
        }
        const code = typeof error.code === "number" ? error.code : null;
        if (code !== null && options.allowExitCodes?.includes(code)) {
          resolve({ stdout, code });
          return;
        }
        const timedOut = error.killed === true && code === null;
        // git ends many errors with advice ("Please make sure you have the correct access rights / and the
        // repository exists."): its first fatal line says what failed, so prefer it to the last line.
        const lines = redactUrlCredentials(stderr.toString("utf8")).trim().split("\n");
        const reason = lines.find((line) => /^(fatal|error): /.test(line)) ?? lines.pop() ?? "";
        const detail = timedOut
          ? `timed out after ${options.timeoutMs} ms`
          : code === null
            ? `could not run ${JSON.stringify(git)} (${String(error.code ?? error.message)})`
            : `exit ${code}${reason ? `: ${reason}` : ""}`;
        reject(new GitError(command, code, timedOut, detail));
      },
    );
  });
}
