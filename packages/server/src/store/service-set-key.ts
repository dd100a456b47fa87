/**
 * A canonical text for a set of service names (sorted, without repeats), stored with each job so that an equal job
 * in flight (same environment, commit and services) is found with one indexed comparison.
 */
export function serviceSetKey(names: readonly string[]): string {
  return JSON.stringify([...new Set(names)].sort());
}
