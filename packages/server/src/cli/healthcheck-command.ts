import { parseArgs } from "node:util";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { OUTPUT_FLAGS } from "./output-options.js";
import { parseRunnerUrl } from "./parse-runner-url.js";
import { runGuarded } from "./run-guarded.js";
import { createRunnerApi } from "./runner-api.js";
import { HEALTHCHECK_USAGE } from "./usage.js";

// Docker's HEALTHCHECK default timeout is 30 s, but a check that hangs that long hides a dead process; answer fast.
const TIMEOUT_MS = 3_000;

/**
 * `iac-runner healthcheck`: exit 0 when `/health` answers 200, else 1 with one line. For a container HEALTHCHECK in an
 * image without curl; quiet on success. `/health` stays 200 while a dependency is degraded (a restart would not fix
 * it), so this fails only when the process does not answer or is shutting down.
 */
export async function healthcheckCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { url: { type: "string" }, ...OUTPUT_FLAGS },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(HEALTHCHECK_USAGE);
    return 0;
  }
  const { PORT } = io.env;
  const port = PORT?.trim() || "8080";
  const baseUrl = parseRunnerUrl(values.url ?? `http://127.0.0.1:${port}`, HEALTHCHECK_USAGE);
  return runGuarded(io, values, async () => {
    const api = createRunnerApi({ baseUrl, requestTimeoutMs: TIMEOUT_MS, signal: io.signal });
    const url = `${baseUrl}/health`;
    const { status, body } = await api.health().catch((error: unknown) => {
      throw error instanceof CliError
        ? new CliError(error.message, { details: error.details, json: { ok: false, url, error: error.message } })
        : error;
    });
    if (status !== 200) {
      const code = (body as { code?: unknown } | undefined)?.code;
      throw new CliError(`${url} answered HTTP ${status}${typeof code === "string" ? ` (${code})` : ""}`, {
        details: [JSON.stringify(body ?? null)],
        json: { ok: false, url, status, health: body ?? null },
      });
    }
    if (values.json) {
      io.stdout(`${JSON.stringify({ ok: true, url, status, health: body ?? null })}\n`);
    }
    return 0;
  });
}
