import { bodyText } from "../http/body-text.js";
import { classifyStatus } from "../http/classify-status.js";
import type { VaultErrorInfo } from "../types.js";
import { errorsOf } from "./errors-of.js";

/**
 * Normalises the `error` of a failed Vault call (`{ errors: string[] }`, possibly empty, or a non-JSON page).
 * A 403 covers both a missing policy and a bad, expired or revoked token.
 */
export function classifyVaultError(error: unknown, response: Response): VaultErrorInfo {
  const { code, retryable } = classifyStatus(response.status);
  const errors = errorsOf(error);
  const text = errors.length > 0 ? errors.join("; ") : bodyText(error);
  return { code, status: response.status, message: text ?? `HTTP ${response.status}`, retryable, errors };
}
