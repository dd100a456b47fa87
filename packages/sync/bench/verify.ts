// Times verify() against a node:crypto receiver (createHmac + timingSafeEqual) on GitHub-shaped push payloads.
// Both are measured in the same run, interleaved, so the ratio is meaningful on a shared machine.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { sign, verify } from "../src/index.js";

const SECRET = "bench-webhook-secret";
const ROUNDS = 7;
const ROUND_MS = 400;
const IN_FLIGHT = 32;

/** A push payload of exactly `bytes` bytes: GitHub's example push, its commit repeated, the last message padded. */
function pushPayload(bytes: number): string {
  const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as Array<{
    name: string;
    examples: Array<{ commits: Array<{ message: string }> }>;
  }>;
  const push = definitions.find((definition) => definition.name === "push")?.examples.find((e) => e.commits.length > 0);
  const commit = push?.commits[0];
  if (push === undefined || commit === undefined) {
    throw new Error("no push example with commits in @octokit/webhooks-examples");
  }
  const commits = [commit];
  while (JSON.stringify({ ...push, commits: [...commits, commit] }).length < bytes) {
    commits.push(commit);
  }
  const short = bytes - JSON.stringify({ ...push, commits }).length;
  commits[commits.length - 1] = { ...commit, message: commit.message + "x".repeat(Math.max(0, short)) };
  return JSON.stringify({ ...push, commits });
}

function nodeVerify(payload: string, signature: string): boolean {
  const expected = createHmac("sha256", SECRET).update(payload).digest();
  const given = Buffer.from(signature.slice("sha256=".length), "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Microseconds per call of `op`, run `inFlight` at a time for about `ms` milliseconds. */
async function timeOp(op: () => Promise<boolean>, ms: number, inFlight: number): Promise<number> {
  let calls = 0;
  const start = performance.now();
  do {
    const results = await Promise.all(Array.from({ length: inFlight }, op));
    if (!results.every(Boolean)) {
      throw new Error("verification failed during the benchmark");
    }
    calls += inFlight;
  } while (performance.now() - start < ms);
  return ((performance.now() - start) * 1000) / calls;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function formatSize(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${(bytes / 1000).toFixed(1)} KB`;
}

/** Runs the benchmark and prints a markdown table: median µs per call and median per-round ratio. */
export async function run(): Promise<void> {
  const rows = ["| payload | calls in flight | verify() µs/op | node:crypto µs/op | ratio |", "|---|---|---|---|---|"];
  for (const size of [7_700, 1_800_000]) {
    const payload = pushPayload(size);
    const signature = await sign(SECRET, payload);
    const ours = async (): Promise<boolean> => verify(SECRET, payload, signature);
    const baseline = async (): Promise<boolean> => nodeVerify(payload, signature);
    for (const inFlight of [1, IN_FLIGHT]) {
      // Warm-up: JIT, key cache and thread pool.
      await timeOp(ours, ROUND_MS, inFlight);
      await timeOp(baseline, ROUND_MS, inFlight);
      const oursTimes: number[] = [];
      const baselineTimes: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        oursTimes.push(await timeOp(ours, ROUND_MS, inFlight));
        baselineTimes.push(await timeOp(baseline, ROUND_MS, inFlight));
      }
      // The median of per-round ratios resists load that changes during the run better than a ratio of medians.
      const ratio = median(oursTimes.map((time, round) => time / (baselineTimes[round] ?? Number.NaN)));
      rows.push(
        `| ${formatSize(payload.length)} | ${inFlight} | ${median(oursTimes).toFixed(1)} | ${median(baselineTimes).toFixed(1)} | ${ratio.toFixed(2)}× |`,
      );
    }
  }
  console.log(
    `\n### verify() vs node:crypto (${process.version}, median of ${ROUNDS} interleaved rounds)\n\n${rows.join("\n")}\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
