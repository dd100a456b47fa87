import { UsageError } from "./cli-io.js";

/**
 * A whole number of seconds from a flag such as `--timeout`, from 1 to `max`, in milliseconds.
 *
 * @throws {UsageError} for anything else.
 */
export function parseSeconds(flag: string, value: string, max: number, usage: string): number {
  const seconds = /^\d{1,7}$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= 1 && seconds <= max)) {
    throw new UsageError(
      `${flag} must be a whole number of seconds from 1 to ${max}, received ${JSON.stringify(value)}`,
      usage,
    );
  }
  return seconds * 1000;
}
