import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { availableParallelism } from "node:os";

/** Pins the server to core 0 and the load generator to core 1 when `taskset` exists and there are two cores. */
export const PINNING: boolean = (() => {
  if (availableParallelism() < 2) {
    return false;
  }
  try {
    execFileSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts `node --import tsx <script> ...args` (on core 0 when pinning), its output appended to `logFile`. */
export function startServer(
  script: string,
  args: readonly string[],
  env: Record<string, string>,
  logFile: string,
): ChildProcess {
  const node = [process.execPath, "--import", "tsx", script, ...args];
  const [command = "", ...rest] = PINNING ? ["taskset", "-c", "0", ...node] : node;
  const out = openSync(logFile, "a");
  return spawn(command, rest, { env: { ...process.env, ...env }, stdio: ["ignore", out, out] });
}

export async function waitForPort(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`nothing listens on port ${port} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resident memory of a process in MB (Linux), undefined elsewhere. */
export function rssMb(pid: number | undefined): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, in seconds (Linux), undefined elsewhere. */
export function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15, in clock ticks of 1/100 s on Linux.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
