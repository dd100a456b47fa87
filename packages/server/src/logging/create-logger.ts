import { pino } from "pino";
import type { Logger, LogLevel } from "../types.js";

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  level?: LogLevel | undefined;
  /** Where JSON lines go; defaults to stdout. Anything with `write(line)` works (tests collect lines). */
  destination?: { write(line: string): unknown } | undefined;
  /** Bindings on every line, e.g. `{ service: "iac-runner" }`. */
  base?: Record<string, unknown> | undefined;
}

/** Keys whose values are secrets wherever they appear (one or two levels deep), plus credential-bearing headers. */
const SECRET_KEYS = [
  "secret",
  "secrets",
  "token",
  "apiKey",
  "password",
  "secretId",
  "hashKey",
  "webhookSecret",
  "webhookSecretPrevious",
  "authorization",
  "cookie",
  "x-api-key",
  "x-vault-token",
  "x-hub-signature-256",
];

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const segment = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `["${key}"]`;
  return [segment.slice(segment.startsWith(".") ? 1 : 0), `*${segment}`, `*.*${segment}`];
});

/**
 * Creates the runner's JSON logger (pino). Secret-looking keys and credential headers are replaced by
 * `[Redacted]` on every line, so a token passed by mistake never reaches the log.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: options.base ?? { name: "iac-runner" },
      redact: { paths: REDACT_PATHS, censor: "[Redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
