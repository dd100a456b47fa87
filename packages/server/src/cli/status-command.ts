import { parseArgs } from "node:util";
import { type CliIo, UsageError } from "./cli-io.js";
import { formatJob } from "./format-job.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { parseRunnerUrl } from "./parse-runner-url.js";
import { runGuarded } from "./run-guarded.js";
import { createRunnerApi } from "./runner-api.js";
import { STATUS_USAGE } from "./usage.js";

/**
 * `iac-runner status <deployment-id>`: shows one job and its services. Exits 0 whenever the job could be read, whatever
 * its state (scripts read the state from `--json`); `deploy --wait` is the command whose exit code follows the job.
 */
export async function statusCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: { url: { type: "string" }, ...OUTPUT_FLAGS },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(STATUS_USAGE);
    return 0;
  }
  const [id, ...extra] = positionals;
  if (id === undefined || id.trim() === "" || extra.length > 0) {
    throw new UsageError(`expected one deployment id, received ${positionals.length} arguments`, STATUS_USAGE);
  }
  const baseUrl = parseRunnerUrl(values.url, STATUS_USAGE);
  return runGuarded(io, values, async () => {
    const { IAC_API_TOKEN } = io.env;
    const api = createRunnerApi({ baseUrl, apiToken: IAC_API_TOKEN?.trim() || undefined, signal: io.signal });
    const job = await api.deployment(id);
    io.stdout(values.json ? `${JSON.stringify(job)}\n` : formatJob(job));
    return 0;
  });
}
