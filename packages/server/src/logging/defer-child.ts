import type { Logger } from "../types.js";

/** A child's bindings, or what makes them when the child is built (values that cost something to make). */
type Bindings = Record<string, unknown> | (() => Record<string, unknown>);

// A class rather than closures, so that one per request allocates a single object.
class DeferredChild implements Logger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings) {
    this.#parent = parent;
    this.#bindings = bindings;
  }

  #target(): Logger {
    // A deferred parent is built first (once), then this child of it.
    const parent = this.#parent instanceof DeferredChild ? this.#parent.#target() : this.#parent;
    const bindings = this.#bindings;
    this.#child ??= parent.child(typeof bindings === "function" ? bindings() : bindings);
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
 * building a child logger (which, with pino, serialises the bindings and prepares redaction), nor, when `bindings` is
 * a function, for making them.
 */
export function deferChild(logger: Logger, bindings: Bindings): Logger {
  return new DeferredChild(logger, bindings);
}
