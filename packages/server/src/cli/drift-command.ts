import { parseArgs } from "node:util";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { formatDrift } from "./format-drift.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { parseRunnerUrl } from "./parse-runner-url.js";
import { runGuarded } from "./run-guarded.js";
import { createRunnerApi } from "./runner-api.js";
import { RunnerApiError } from "./runner-api-error.js";
import { DRIFT_USAGE } from "./usage.js";

/**
 * `iac-runner drift`: the runner's last drift detection report (`GET /drift`, needs IAC_API_TOKEN). Exits 0 whenever
 * the report could be read, whatever it says (scripts read the states from `--json`).
 */
export async function driftCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { url: { type: "string" }, ...OUTPUT_FLAGS },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(DRIFT_USAGE);
    return 0;
  }
  const baseUrl = parseRunnerUrl(values.url, DRIFT_USAGE);
  return runGuarded(io, values, async () => {
    const { IAC_API_TOKEN } = io.env;
    const token = IAC_API_TOKEN?.trim();
    if (token === undefined || token === "") {
      throw new CliError("IAC_API_TOKEN is not set; drift needs the runner's API token (export IAC_API_TOKEN)");
    }
    const api = createRunnerApi({ baseUrl, apiToken: token, signal: io.signal });
    const report = await api.drift().catch((error: unknown) => {
      // Without IAC_API_TOKEN the runner hides the endpoint, which reads as a plain 404.
      if (error instanceof RunnerApiError && error.status === 404 && error.code === "not_found") {
        throw new CliError(`the runner at ${baseUrl} has no IAC_API_TOKEN configured, so its drift endpoint is off`, {
          details: error.details,
          json: error.json,
        });
      }
      throw error;
    });
    io.stdout(values.json ? `${JSON.stringify(report)}\n` : formatDrift(report));
    return 0;
  });
}
