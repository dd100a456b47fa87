import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
/** The built CLI, as users run it (`npm test` builds before testing). */
export const BUILT_CLI: string = join(ROOT, "packages/server/dist/cli.js");

/** `iac-runner serve` running in a child process. */
export interface RunnerProcess {
  child: ChildProcess;
  url: string;
  /** Its log lines (JSON), as printed so far. */
  lines: string[];
  /** Sends `signal` (SIGKILL by default) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A log line of the runner, parsed. */
export interface RunnerLogLine {
  level?: number;
  msg?: string;
  [key: string]: unknown;
}

/** Parses the JSON log lines printed so far. */
export function parsedLines(runner: RunnerProcess): RunnerLogLine[] {
  return runner.lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as RunnerLogLine];
    } catch {
      return [];
    }
  });
}

/** Starts the built `iac-runner serve` with exactly `env` (plus PATH and HOME) and waits until it listens. */
export function startRunnerProcess(env: Record<string, string>): Promise<RunnerProcess> {
  if (!existsSync(BUILT_CLI)) {
    throw new Error(`${BUILT_CLI} is missing: run npm run build first (npm test does)`);
  }
  const { PATH = "", HOME = "" } = process.env;
  const child = spawn(process.execPath, [BUILT_CLI, "serve"], {
    env: { PATH, HOME, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "debug", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      lines.push(line);
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === "listening" && entry.url !== undefined) {
        resolve({
          child,
          url: entry.url,
          lines,
          async kill(signal = "SIGKILL") {
            if (child.exitCode === null && child.signalCode === null) {
              child.kill(signal);
            }
            await exited;
          },
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`iac-runner exited with ${code} before listening: ${stderr}`)));
  });
}
