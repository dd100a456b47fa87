// The mechanics of collecting every problem of iac.config.yaml: a rule throws a Violation, and attempt() records it
// at the nearest key boundary so that sibling keys are still checked.

/** A location in the config as keys and list indexes: `["services", "postgres", "vault", 0]`. */
export type KeyPath = readonly (string | number)[];

/** One broken rule, located by its key path (not yet in the text). */
export interface ConfigViolation {
  path: KeyPath;
  /** What was expected and what was received, e.g. `expected a string, received 1`. */
  problem: string;
}

/** Where violations are collected while a document is checked. */
export type Violations = ConfigViolation[];

/** Thrown by a rule and caught at the nearest key boundary ({@link attempt}), so sibling keys are still checked. */
export class Violation extends Error {
  readonly path: KeyPath;
  readonly problem: string;

  constructor(path: KeyPath, problem: string) {
    super(problem);
    this.path = path;
    this.problem = problem;
  }
}

/** Names a received value in a problem: its kind for lists and mappings, else the value, cut to 60 characters. */
export function formatReceived(value: unknown): string {
  if (Array.isArray(value)) {
    return "a list";
  }
  if (typeof value === "object" && value !== null) {
    return "a mapping";
  }
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

export function fail(path: KeyPath, expected: string, received: unknown): never {
  throw new Violation(path, `expected ${expected}, received ${formatReceived(received)}`);
}

/** Runs one independent check; a violation is recorded in `out` and the result is undefined. */
export function attempt<T>(out: Violations, read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof Violation) {
      out.push({ path: error.path, problem: error.problem });
      return undefined;
    }
    throw error;
  }
}
