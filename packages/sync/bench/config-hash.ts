// Times configHash() for a repository of 100 services against SHA-256 over the same bytes without any framing:
// @noble/hashes (the cost of the canonical encoding and HMAC) and node:crypto (native, the floor and the baseline).
// All are measured in the same run, interleaved, so the ratios are meaningful on a shared machine.
import { createHash } from "node:crypto";
import { pathToFileURL } from "node:url";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { type ConfigHashInput, configHash } from "../src/index.js";

const SERVICES = 100;
const ROUNDS = 9;

/** Deterministic text of `bytes` ASCII characters, shaped like config lines. */
function filler(seed: number, bytes: number): string {
  const words = ["image", "volumes", "environment", "healthcheck", "labels", "traefik", "postgres", "restart", "8080"];
  let text = "";
  for (let i = seed; text.length < bytes; i++) {
    text += `${words[(i * 7) % words.length]}: ${words[(i * 13 + seed) % words.length]}-${i % 97}\n`;
  }
  return text.slice(0, bytes);
}

/** One service: a 3 KB compose file, 5 files of 1–20 KB (one as bytes), 30 env vars and 10 secrets. */
function service(index: number): ConfigHashInput {
  const files: Record<string, string | Uint8Array> = {};
  for (let f = 0; f < 5; f++) {
    const body = filler(index + f, 1_000 + (((index * 5 + f) * 3_917) % 19_001));
    files[`platform/${String(index).padStart(2, "0")}.svc${index}/config/file-${f}.conf`] =
      f === 0 ? new TextEncoder().encode(body) : body;
  }
  const env: Record<string, string> = {};
  for (let e = 0; e < 30; e++) {
    env[`SERVICE_${index}_SETTING_${e}`] = `value-${e}-${filler(index + e, 24).replace(/\n/g, " ")}`;
  }
  const secrets: Record<string, string> = {};
  for (let s = 0; s < 10; s++) {
    secrets[`SECRET_${s}`] = `s3cr3t-${index}-${s}-${"x".repeat(32)}`;
  }
  return { compose: filler(index, 3_000), files, env, secrets, secretKey: "bench-config-hash-key" };
}

/** The bytes that any config hash has to read: every text and file, without framing. */
function parts(input: ConfigHashInput): Array<string | Uint8Array> {
  const records = [input.files, input.env, input.secrets];
  return [input.compose, ...records.flatMap((record) => Object.entries(record ?? {}).flat())];
}

function nodeSha256(input: ConfigHashInput): string {
  return parts(input)
    .reduce((hash, part) => hash.update(part), createHash("sha256"))
    .digest("hex");
}

function nobleSha256(input: ConfigHashInput): string {
  const hash = parts(input).reduce(
    (running, part) => running.update(typeof part === "string" ? utf8ToBytes(part) : part),
    sha256.create(),
  );
  return bytesToHex(hash.digest());
}

/** Milliseconds to hash every service once. */
function timeAll(hash: (input: ConfigHashInput) => string, inputs: readonly ConfigHashInput[]): number {
  const start = performance.now();
  let sink = 0;
  for (const input of inputs) {
    sink += hash(input).length;
  }
  const elapsed = performance.now() - start;
  if (sink === 0) {
    throw new Error("no hash was computed");
  }
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs the benchmark and prints a markdown table (median of interleaved rounds). */
export async function run(): Promise<void> {
  const inputs = Array.from({ length: SERVICES }, (_, index) => service(index));
  const bytes = inputs
    .flatMap(parts)
    .reduce((total, part) => total + (typeof part === "string" ? Buffer.byteLength(part) : part.length), 0);
  const contenders: Array<[string, (input: ConfigHashInput) => string]> = [
    ["configHash (@noble/hashes, HMAC for secrets)", configHash],
    ["@noble/hashes sha256, same bytes, no framing", nobleSha256],
    ["node:crypto sha256, same bytes (baseline)", nodeSha256],
  ];
  // Warm up the JIT before measuring.
  for (const [, hash] of contenders) {
    timeAll(hash, inputs);
  }
  const times = contenders.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, [, hash]] of contenders.entries()) {
      times[index]?.push(timeAll(hash, inputs));
    }
  }
  const medians = times.map(median);
  const baselineMs = medians[medians.length - 1] ?? Number.NaN;
  const rows = [
    `configHash for ${SERVICES} services (${(bytes / 1_000_000).toFixed(2)} MB; 3 KB compose, 5 files of 1–20 KB, 30 env, 10 secrets each)`,
    "",
    "| implementation | total ms | ms per service | ratio |",
    "|---|---|---|---|",
    ...contenders.map(([name], index) => {
      const ms = medians[index] ?? Number.NaN;
      return `| ${name} | ${ms.toFixed(1)} | ${(ms / SERVICES).toFixed(3)} | ${(ms / baselineMs).toFixed(2)}× |`;
    }),
  ];
  console.log(rows.join("\n"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await run();
}
