import type { SettingsProblem } from "./types.js";

const PREFIX = "[@iac/server] invalid configuration";

/**
 * The configuration is missing or has invalid values: every problem at once, each naming its variable (or, for
 * `defineSettings`, its field). One problem makes a one-line message; several are listed one per line.
 */
export class SettingsError extends Error {
  override readonly name = "SettingsError";
  /** Every problem found, in the order the settings are checked; never empty. */
  readonly problems: readonly SettingsProblem[];
  /** The environment variable (or, for `defineSettings`, the field) of the first problem, e.g. `WEBHOOK_SECRET`. */
  readonly variable: string;

  /** One problem of an environment variable (`problem` follows its name in the message), or a list of problems. */
  constructor(variable: string, problem: string);
  constructor(problems: readonly SettingsProblem[]);
  constructor(first: string | readonly SettingsProblem[], problem = "") {
    const problems: readonly SettingsProblem[] =
      typeof first === "string" ? [{ field: undefined, variable: first, message: `${first} ${problem}` }] : first;
    const [head] = problems;
    if (head === undefined) {
      throw new TypeError("[@iac/server] SettingsError needs at least one problem");
    }
    super(
      problems.length === 1
        ? `${PREFIX}: ${head.message}`
        : `${PREFIX}, ${problems.length} problems:\n${problems.map((one) => `  ${one.message}`).join("\n")}`,
    );
    this.problems = problems;
    this.variable = head.variable ?? head.field ?? "";
  }
}
