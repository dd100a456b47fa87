import type { CliIo } from "../../src/cli/cli-io.js";

/** CLI streams that collect what a command prints into `out` and `err`; the abort signal is already aborted. */
export function captureIo(
  env: Record<string, string | undefined> = {},
  stdin = "",
): CliIo & { out: string; err: string } {
  const result = {
    env,
    out: "",
    err: "",
    stdout: (text: string) => {
      result.out += text;
    },
    stderr: (text: string) => {
      result.err += text;
    },
    readStdin: async () => stdin,
    signal: AbortSignal.abort(),
  };
  return result;
}
