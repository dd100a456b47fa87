import type { Logger } from "../types.js";

/** A logger that drops everything; the default when none is injected. */
export const noopLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => noopLogger,
};
