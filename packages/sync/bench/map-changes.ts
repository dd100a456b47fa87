// Times mapChanges() for 10,000 and 100,000 changed paths against a 500-service catalog in the same run. The 10×/1×
// ratio is what matters (about 10 means linear); absolute times on a shared machine are noise.
import { pathToFileURL } from "node:url";
import { discoverServices, mapChanges, parseConfig, type ServiceCatalog } from "../src/index.js";

const SERVICES = 500;
const ROUNDS = 7;
const SIZES = [10_000, 100_000] as const;

/** Deterministic pseudo-random integers below `limit` (mulberry32), so both sizes draw from the same mix. */
function createRandom(seed: number): (limit: number) => number {
  let state = seed;
  return (limit) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % limit;
  };
}

function folder(index: number): string {
  return `platform/${String(index).padStart(3, "0")}.service-${index}`;
}

/** 500 platform services (every fifth with an extra glob), 10 manual bootstrap services, shared libs. */
function buildCatalog(): ServiceCatalog {
  const tree = ["README.md", "platform/README.md", "libs/common.py"];
  const overrides: string[] = [];
  for (let index = 0; index < SERVICES; index++) {
    tree.push(`${folder(index)}/compose.yaml`, `${folder(index)}/README.md`, `${folder(index)}/config/app.conf`);
    if (index % 5 === 0) {
      overrides.push(`  service-${index}: { files: ["../shared/service-${index}/**"] }`);
    }
  }
  for (let index = 0; index < 10; index++) {
    tree.push(`bootstrap/${String(index).padStart(2, "0")}.tool-${index}/compose.yaml`);
  }
  return discoverServices(tree, parseConfig(`services:\n${overrides.join("\n")}\n`));
}

/** A push-like mix: mostly service files (some under an old number), some shared, manual, stray and app paths. */
function changedPaths(count: number): string[] {
  const random = createRandom(count);
  const paths: string[] = [];
  for (let index = 0; index < count; index++) {
    const service = random(SERVICES);
    const kind = random(100);
    if (kind < 70) {
      paths.push(`${folder(service)}/files/${index}.yaml`);
    } else if (kind < 80) {
      paths.push(`platform/${900 + random(99)}.service-${service}/moved-${index}.txt`);
    } else if (kind < 85) {
      paths.push(`platform/shared/service-${service}/${index}.sql`);
    } else if (kind < 86) {
      paths.push(`libs/module-${index}.py`);
    } else if (kind < 90) {
      paths.push(`bootstrap/0${random(10)}.tool-${random(10)}/${index}.env`);
    } else if (kind < 95) {
      paths.push(`finance_report/src/${index}.ts`);
    } else {
      paths.push(`docs/${index}.md`);
    }
  }
  return paths;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Runs the benchmark and prints a markdown table of milliseconds per call (median of interleaved rounds). */
export async function run(): Promise<void> {
  const catalog = buildCatalog();
  const inputs = SIZES.map(changedPaths);
  const times: number[][] = SIZES.map(() => []);
  const results = inputs.map((input) => mapChanges(catalog, input));
  for (let round = 0; round < ROUNDS; round++) {
    inputs.forEach((input, index) => {
      const start = performance.now();
      mapChanges(catalog, input);
      times[index]?.push(performance.now() - start);
    });
  }
  const medians = times.map(median);
  const rows = [
    "| changed paths | services selected | paths ignored | ms (median) | µs per path |",
    "|---|---|---|---|---|",
  ];
  SIZES.forEach((size, index) => {
    const ms = medians[index] ?? Number.NaN;
    const mapping = results[index];
    rows.push(
      `| ${size.toLocaleString("en")} | ${mapping?.services.length} | ${mapping?.ignored.length} | ${ms.toFixed(1)} | ${((ms * 1000) / size).toFixed(2)} |`,
    );
  });
  const ratio = (medians[1] ?? Number.NaN) / (medians[0] ?? Number.NaN);
  console.log(
    `\n### mapChanges() against ${SERVICES} automatic and ${catalog.services.length - SERVICES} manual services (${process.version}, ${ROUNDS} rounds, median)\n\n${rows.join("\n")}\n\n10×/1× time ratio: ${ratio.toFixed(2)} (10 = linear)\n`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
