import type { Logger } from "../types.js";

// A class rather than closures, so that one per request allocates a single object.
class DeferredChild implements Logger {
  readonly #parent: Logger;
  readonly #bindings: Record<string, unknown>;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Record<string, unknown>) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #target(): Logger {
    // A deferred parent is built first (once), then this child of it.
    const parent = this.#parent instanceof DeferredChild ? this.#parent.#target() : this.#parent;
    this.#child ??= parent.child(this.#bindings);
    return this.#child;
  }

  debug(obj: Record<string, unknown>, msg?: string): void {
    this.#target().debug(obj, msg);
  }

  info(obj: Record<string, unknown>, msg?: string): void {
    this.#target().info(obj, msg);
  }

  warn(obj: Record<string, unknown>, msg?: string): void {
    this.#target().warn(obj, msg);
  }

  error(obj: Record<string, unknown>, msg?: string): void {
    this.#target().error(obj, msg);
  }

  child(bindings: Record<string, unknown>): Logger {
    return new DeferredChild(this, bindings);
  }
}

/**
 * `logger.child(bindings)`, created only when a line is first written: a request that logs nothing never pays for
 * building a child logger (which, with pino, serialises the bindings and prepares redaction).
 */
export function deferChild(logger: Logger, bindings: Record<string, unknown>): Logger {
  return new DeferredChild(logger, bindings);
}
