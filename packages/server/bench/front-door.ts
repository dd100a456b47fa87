// Front-door benchmark: the runner's Node server against a bare node:http + node:crypto receiver started in the same
// run, on the requests the runner answers without work. Rounds interleave the two servers (alternating which goes
// first) and the verdict is the median of same-round throughput ratios, so a noisy machine affects both sides alike.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LoadRequest, type LoadResult, load } from "./front-door/load.js";
import { pushPayload, sign } from "./front-door/payload.js";
import { cpuSeconds, freePort, PINNING, rssMb, startServer, waitForPort } from "./front-door/processes.js";
import { seedDelivery } from "./front-door/seed-duplicate.js";

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const SECONDS = Number(process.env["BENCH_SECONDS"] ?? 2);
const CONNECTIONS = [16, 64] as const;
/** What the runner must reach on every scenario, as a fraction of the bare receiver's throughput. */
const TARGET = 0.85;
const SECRET = "bench-secret-0123456789abcdef";
const DUPLICATE = "bench-duplicate-delivery";

interface Scenario {
  name: string;
  request: LoadRequest;
  status: number;
}

function webhook(event: string, body: string, signature: string, delivery: string): LoadRequest {
  return {
    method: "POST",
    path: "/webhook",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": delivery,
      "x-hub-signature-256": signature,
    },
    body,
  };
}

function scenarios(): Scenario[] {
  const ignored = pushPayload("feature/bench");
  const followed = pushPayload("main");
  const ping = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1, padding: ignored });
  return [
    { name: "push to an ignored branch", request: webhook("push", ignored, sign(SECRET, ignored), "d-1"), status: 202 },
    { name: "ping", request: webhook("ping", ping, sign(SECRET, ping), "d-2"), status: 200 },
    {
      name: "duplicate delivery",
      request: webhook("push", followed, sign(SECRET, followed), DUPLICATE),
      status: 200,
    },
    { name: "wrong signature", request: webhook("push", ignored, sign("not-the-secret", ignored), "d-3"), status: 401 },
  ];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

function makeRepository(dir: string): string {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  writeFileSync(join(dir, "README.md"), "benchmark repository\n");
  git("add", ".");
  git("-c", "user.name=bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "init");
  return `file://${dir}`;
}

async function statusOf(port: number, request: LoadRequest): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
  });
  await response.arrayBuffer();
  return response.status;
}

export async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "iac-bench-front-"));
  const here = fileURLToPath(new URL(".", import.meta.url));
  const repo = join(work, "repo");
  execFileSync("mkdir", ["-p", repo]);
  const [barePort, runnerPort] = [await freePort(), await freePort()];
  const runnerEnv = {
    WEBHOOK_SECRET: SECRET,
    GIT_REPO_URL: makeRepository(repo),
    GIT_BRANCH: "main",
    DOKPLOY_URL: "http://127.0.0.1:9",
    DOKPLOY_API_KEY: "bench",
    IAC_DATA_DIR: join(work, "data"),
    HOST: "127.0.0.1",
    PORT: String(runnerPort),
    LOG_LEVEL: "info",
  };
  await seedDelivery(runnerEnv, DUPLICATE);
  // The runner is measured as it ships: the built CLI.
  const packageDir = join(here, "..");
  execFileSync("npx", ["tsup", "--silent"], { cwd: packageDir, stdio: "ignore" });
  const runnerLog = join(work, "runner.log");
  const servers = {
    bare: startServer(
      join(here, "front-door/bare-receiver.ts"),
      [],
      { WEBHOOK_SECRET: SECRET, PORT: String(barePort) },
      join(work, "bare.log"),
    ),
    runner: startServer(join(packageDir, "dist/cli.js"), ["serve"], runnerEnv, runnerLog),
  };
  const ports = { bare: barePort, runner: runnerPort };
  try {
    await Promise.all([waitForPort(barePort), waitForPort(runnerPort)]);
    const all = scenarios();
    for (const scenario of all) {
      for (const side of ["bare", "runner"] as const) {
        // The bare receiver answers 202 to anything signed.
        const expected = side === "bare" && scenario.status !== 401 ? 202 : scenario.status;
        const status = await statusOf(ports[side], scenario.request);
        if (status !== expected) {
          throw new Error(`${side} answered ${status} to "${scenario.name}", expected ${expected}`);
        }
      }
    }
    // Warm both servers up (JIT, pools) before anything is recorded.
    for (const side of ["bare", "runner"] as const) {
      for (const scenario of all) {
        await load(ports[side], scenario.request, 16, 1);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idle = { bare: rssMb(servers.bare.pid), runner: rssMb(servers.runner.pid) };
    const peak = { ...idle };
    const sampler = setInterval(() => {
      for (const side of ["bare", "runner"] as const) {
        const now = rssMb(servers[side].pid);
        if (now !== undefined) {
          peak[side] = Math.max(peak[side] ?? 0, now);
        }
      }
    }, 200);
    const rows: string[] = [];
    let rejectedRequests = 0;
    let rejectedLogBytes = 0;
    for (const connections of CONNECTIONS) {
      for (const scenario of all) {
        const ratios: number[] = [];
        const p99: Record<"bare" | "runner", number[]> = { bare: [], runner: [] };
        const throughput: Record<"bare" | "runner", number[]> = { bare: [], runner: [] };
        // CPU time per request: what each server spends, whatever else runs on the machine.
        const cpu: Record<"bare" | "runner", number[]> = { bare: [], runner: [] };
        let errors = 0;
        for (let round = 0; round < ROUNDS; round += 1) {
          const order = round % 2 === 0 ? (["bare", "runner"] as const) : (["runner", "bare"] as const);
          const results = {} as Record<"bare" | "runner", LoadResult>;
          for (const side of order) {
            const logBefore = statSync(runnerLog).size;
            const cpuBefore = cpuSeconds(servers[side].pid);
            results[side] = await load(ports[side], scenario.request, connections, SECONDS);
            const cpuAfter = cpuSeconds(servers[side].pid);
            if (cpuBefore !== undefined && cpuAfter !== undefined) {
              cpu[side].push(((cpuAfter - cpuBefore) * 1e6) / (results[side].throughput * SECONDS));
            }
            if (side === "runner" && scenario.status === 401) {
              rejectedRequests += results.runner.throughput * SECONDS;
              rejectedLogBytes += statSync(runnerLog).size - logBefore;
            }
          }
          ratios.push(results.runner.throughput / results.bare.throughput);
          throughput.bare.push(results.bare.throughput);
          throughput.runner.push(results.runner.throughput);
          p99.bare.push(results.bare.p99Ms);
          p99.runner.push(results.runner.p99Ms);
          for (const result of Object.values(results)) {
            const { "2xx": ok, "4xx": refused, "5xx": failed } = result.statuses;
            errors += result.errors + failed + (scenario.status === 401 ? ok : refused);
          }
        }
        const ratio = median(ratios);
        const judged = connections === 16;
        const verdict = judged ? (ratio >= TARGET ? "ok" : `below ${TARGET}x`) : "";
        // Like the pipeline's, a missed target or an unexpected answer makes the run exit non-zero.
        if ((judged && ratio < TARGET) || errors > 0) {
          process.exitCode = 1;
        }
        rows.push(
          [
            scenario.name.padEnd(26),
            String(connections).padStart(5),
            `${ratio.toFixed(2)}x`.padStart(7),
            `${ratios.map((value) => value.toFixed(2)).join(" ")}`.padEnd(30),
            `${median(throughput.bare).toFixed(0)} / ${median(throughput.runner).toFixed(0)}`.padEnd(14),
            `${median(p99.bare)} / ${median(p99.runner)} ms`.padEnd(16),
            cpu.runner.length === 0
              ? "n/a".padEnd(15)
              : `${median(cpu.bare).toFixed(0)} / ${median(cpu.runner).toFixed(0)} µs`.padEnd(15),
            errors === 0 ? verdict : `${verdict} (${errors} errors or unexpected answers)`,
          ].join("  "),
        );
      }
    }
    clearInterval(sampler);
    const mb = (value: number | undefined) => (value === undefined ? "n/a" : `${value.toFixed(0)} MB`);
    console.log(`\nFront door: runner vs bare node:http receiver, ${ROUNDS} rounds of ${SECONDS} s per point`);
    console.log(`(server pinned to core 0 and load to core 1: ${PINNING ? "yes" : "no, numbers are rougher"})\n`);
    console.log(
      [
        "scenario".padEnd(26),
        "conns",
        "  ratio",
        "per round".padEnd(30),
        "req/s bare/run".padEnd(14),
        "p99 bare/runner".padEnd(16),
        "CPU/req bare/run".padEnd(15),
        "verdict",
      ].join("  "),
    );
    for (const row of rows) {
      console.log(row);
    }
    console.log(`\nRSS idle: bare ${mb(idle.bare)}, runner ${mb(idle.runner)}`);
    console.log(`RSS loaded (peak): bare ${mb(peak.bare)}, runner ${mb(peak.runner)}`);
    console.log(
      `Runner log output while rejecting: ${(rejectedLogBytes / Math.max(rejectedRequests, 1)).toFixed(2)} bytes per rejected request`,
    );
  } finally {
    servers.bare.kill();
    servers.runner.kill("SIGTERM");
    await new Promise((resolve) => servers.runner.once("exit", resolve));
    rmSync(work, { recursive: true, force: true });
  }
}
