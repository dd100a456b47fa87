/** Flags every client command accepts, for `parseArgs`. */
export const OUTPUT_FLAGS = {
  json: { type: "boolean", default: false },
  verbose: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** How a command reports: one JSON document on stdout (`--json`), and details of failures (`--verbose`). */
export interface OutputOptions {
  json: boolean;
  verbose: boolean;
}
