import { causeChain } from "./cause-chain.js";
import { CliError } from "./cli-error.js";
import type { CliIo } from "./cli-io.js";
import { UsageError } from "./cli-io.js";
import type { OutputOptions } from "./output-options.js";

/**
 * Runs a command body so that a failure prints one `iac-runner: <message>` line on stderr (plus details with
 * `--verbose`, and the error document on stdout with `--json`) and exits 1, never with a stack trace. Usage errors
 * pass through: `runCli` prints them with the usage and exits 2.
 */
export async function runGuarded(io: CliIo, output: OutputOptions, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
      throw error;
    }
    const known = error instanceof CliError;
    const message = known
      ? error.message
      : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
    const details = known ? error.details : causeChain(error);
    if (output.json) {
      io.stdout(`${JSON.stringify(known ? error.json : { error: message })}\n`);
    }
    io.stderr(`iac-runner: ${message}\n`);
    if (output.verbose) {
      io.stderr(details.map((line) => `  ${line}\n`).join(""));
    }
    return 1;
  }
}
