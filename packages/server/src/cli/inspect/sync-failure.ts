import { redact } from "../../engine/redact.js";
import type { SyncError } from "../../engine/sync-error.js";
import { plainMessage } from "../../plain-message.js";
import { CliError } from "../cli-error.js";

/**
 * A classified failure of reading a service's inputs or Dokploy as a CLI error: the safe message on the error line,
 * the code and the upstream text (secret values masked) in the `--verbose` details and the `--json` document.
 */
export function syncFailure(error: SyncError, secrets: Iterable<string>, context = ""): CliError {
  const values = [...secrets];
  const message = `${context}${plainMessage(redact(error.message, values))}`;
  const detail = error.detail === undefined ? [] : [`upstream: ${redact(error.detail, values)}`];
  return new CliError(message, {
    details: [`code: ${error.code}`, ...detail],
    json: { error: message, code: error.code },
  });
}
