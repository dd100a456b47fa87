/** What a CLI command may touch, injected so commands run in tests without a process of their own. */
export interface CliIo {
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  /** Aborted when the process is asked to stop (SIGINT, SIGTERM). */
  signal: AbortSignal;
  /** Whether stdout is a terminal: `doctor` marks lines with ✓/✗ there and with ok/FAIL in logs and pipes. */
  isTTY?: boolean | undefined;
}

/** A usage error: the message and the command's usage go to stderr and the exit code is 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly usage: string;

  constructor(message: string, usage: string) {
    super(message);
    this.usage = usage;
  }
}
