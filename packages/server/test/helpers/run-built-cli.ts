import { spawn } from "node:child_process";
import { BUILT_CLI } from "./runner-process.js";

/** What a run of the built CLI printed, and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `iac-runner` (`dist/cli.js`) as users run it, with exactly `env` (plus PATH and HOME) and stdin
 * closed; kills it after `timeoutMs`.
 */
export function runBuiltCli(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliRun> {
  return runNode([BUILT_CLI, ...args], env, timeoutMs);
}

/** Runs this Node.js with `args`, exactly `env` (plus PATH and HOME) and stdin closed; kills it after `timeoutMs`. */
export function runNode(
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CliRun> {
  const { PATH = "", HOME = "" } = process.env;
  const child = spawn(process.execPath, args, {
    env: { PATH, HOME, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The lines of a stream, without the empty last one. */
export function linesOf(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}
