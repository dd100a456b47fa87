import { SettingsError } from "./settings-error.js";
import type { SettingsProblem } from "./types.js";

/**
 * Where the values of the settings come from: the environment (strings, named by variables) or the input of
 * `defineSettings` (typed values, named by their field). The checks are the same for both.
 */
export interface SettingsValues<Field extends string> {
  /** The value of a field: undefined when absent, `""` when given empty. */
  value(field: Field): unknown;
  /** The environment variable the field is read from; undefined for `defineSettings`. */
  variable(field: Field): string | undefined;
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);
const INTERVAL_UNITS: Readonly<Record<string, number>> = { "": 1_000, s: 1_000, m: 60_000, h: 3_600_000 };

/** A value as a message shows it: strings and numbers as JSON, anything else by its type. */
function shown(value: unknown): string {
  if (typeof value === "string" || typeof value === "number") {
    return JSON.stringify(value);
  }
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** The checks every setting goes through; see {@link createSettingsChecker}. */
export interface SettingsChecker<Field extends string> {
  /** Records a problem of `field`; `problem` follows its name in the message. */
  fail(field: Field, problem: string): void;
  /** Whether a problem was recorded for `field`, so a rule that depends on it does not pile another one on. */
  failed(field: Field): boolean;
  /** A trimmed string; undefined when absent or blank. */
  text(field: Field): string | undefined;
  /** A trimmed, non-blank string; `what` says what is expected. */
  required(field: Field, what: string): string;
  /** An integer given as a number, or as digits in a string (the environment). */
  integer(field: Field, fallback: number, min: number, max: number): number;
  /** A boolean, or `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off` in a string (the environment). */
  boolean(field: Field, fallback: boolean): boolean;
  /** One of `choices`, compared in lower case. */
  oneOf<T extends string>(field: Field, choices: readonly T[], fallback: T): T;
  /**
   * An interval from 10 s to 24 h in milliseconds, given as seconds (a number or digits) or as `30s`, `5m`, `1h`;
   * undefined when absent or off (`false`, `0`, `off`, ...).
   */
  interval(field: Field): number | undefined;
  /** How messages name `field`: its environment variable, else the field itself. */
  name(field: Field): string;
  /**
   * Ends a reading: throws when any check failed.
   *
   * @throws {SettingsError} with every problem recorded.
   */
  throwProblems(): void;
}

/**
 * The checks every setting goes through. A check that fails records a problem and returns the default (or a
 * placeholder for a required value): reading goes on, so every problem is found in one pass, and `throwProblems()`
 * throws them all before a placeholder can be used.
 */
export function createSettingsChecker<Field extends string>(values: SettingsValues<Field>): SettingsChecker<Field> {
  const problems: SettingsProblem[] = [];
  // JavaScript callers may write null for "not set".
  const given = (field: Field): unknown => values.value(field) ?? undefined;
  const fail = (field: Field, problem: string): void => {
    const variable = values.variable(field);
    problems.push({ field, variable, message: `${variable ?? field} ${problem}` });
  };
  const failed = (field: Field): boolean => problems.some((problem) => problem.field === field);
  const text = (field: Field): string | undefined => {
    const value = given(field);
    if (value === undefined) {
      return undefined;
    }
    if (typeof value !== "string") {
      fail(field, `must be a string, received ${shown(value)}`);
      return undefined;
    }
    return value.trim() === "" ? undefined : value.trim();
  };
  const required = (field: Field, what: string): string => {
    const value = text(field);
    if (value === undefined && !failed(field)) {
      fail(
        field,
        `is required: expected ${what}, received ${given(field) === undefined ? "nothing" : "an empty value"}`,
      );
    }
    return value ?? "";
  };
  const integer = (field: Field, fallback: number, min: number, max: number): number => {
    const value = given(field);
    const digits = typeof value === "string" ? value.trim() : value;
    if (digits === undefined || digits === "") {
      return fallback;
    }
    const parsed =
      typeof digits === "number"
        ? digits
        : typeof digits === "string" && /^\d+$/.test(digits)
          ? Number(digits)
          : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      fail(field, `must be an integer from ${min} to ${max}, received ${shown(digits)}`);
      return fallback;
    }
    return parsed;
  };
  const boolean = (field: Field, fallback: boolean): boolean => {
    const value = given(field);
    if (typeof value === "boolean") {
      return value;
    }
    const word = text(field)?.toLowerCase();
    if (word === undefined || TRUE.has(word) || FALSE.has(word)) {
      return word === undefined ? fallback : TRUE.has(word);
    }
    fail(field, `must be true or false, received ${shown(word)}`);
    return fallback;
  };
  const oneOf = <T extends string>(field: Field, choices: readonly T[], fallback: T): T => {
    const value = text(field)?.toLowerCase() ?? fallback;
    if (choices.includes(value as T)) {
      return value as T;
    }
    fail(field, `must be one of ${choices.join(", ")}, received ${shown(value)}`);
    return fallback;
  };
  const interval = (field: Field): number | undefined => {
    const value = given(field);
    const word = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : value;
    if (
      word === undefined ||
      word === "" ||
      word === false ||
      (typeof word === "string" && FALSE.has(word.toLowerCase()))
    ) {
      return undefined;
    }
    const match = typeof word === "string" ? /^(\d{1,6})(s|m|h)?$/i.exec(word) : null;
    const ms = match === null ? Number.NaN : Number(match[1]) * (INTERVAL_UNITS[(match[2] ?? "").toLowerCase()] ?? 0);
    if (!(ms >= 10_000 && ms <= 86_400_000)) {
      fail(field, `must be an interval from 10s to 24h such as 90, 30s, 5m or 1h (or off), received ${shown(word)}`);
      return undefined;
    }
    return ms;
  };
  return {
    fail,
    failed,
    text,
    required,
    integer,
    boolean,
    oneOf,
    interval,
    name: (field) => values.variable(field) ?? field,
    throwProblems() {
      if (problems.length > 0) {
        throw new SettingsError(problems);
      }
    },
  };
}
