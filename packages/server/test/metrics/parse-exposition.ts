// A small reader of the Prometheus text exposition, so tests check samples by name and labels instead of
// snapshotting the whole text.

/** One sample line: `name{label="value",...} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of `text`; comment lines (`# HELP`, `# TYPE`) are skipped, any other line fails the parse. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) {
      continue;
    }
    const match = SAMPLE.exec(line);
    if (match === null) {
      throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    }
    const [, name = "", labelText = "", value = ""] = match;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, key = "", raw = ""]) => [key, raw]));
    samples.push({ name, labels, value: Number(value) });
  }
  return samples;
}

/** The `# TYPE` of every metric family in `text`. */
export function metricTypes(text: string): Record<string, string> {
  const types: Record<string, string> = {};
  for (const [, name = "", type = ""] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    types[name] = type;
  }
  return types;
}

/** The value of the one sample named `name` whose labels are exactly `labels`; undefined when there is none. */
export function sampleValue(
  samples: readonly Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return samples.find(
    (sample) => sample.name === name && JSON.stringify(Object.entries(sample.labels).sort()) === wanted,
  )?.value;
}

/** The samples named `name`. */
export function samplesOf(samples: readonly Sample[], name: string): Sample[] {
  return samples.filter((sample) => sample.name === name);
}

/** The samples named `name` as rows: the values of `labels` in that order, then the sample's value. */
export function rowsOf(
  samples: readonly Sample[],
  name: string,
  labels: readonly string[],
): Array<Array<string | number>> {
  return samplesOf(samples, name).map((sample) => [...labels.map((label) => sample.labels[label] ?? ""), sample.value]);
}
