import type { FakeClock } from "../types.js";

/**
 * Creates a manual clock shared by the fakes: time only moves when a test calls `advance` or `set`.
 *
 * @example
 * const clock = createFakeClock("2026-01-01T00:00:00Z");
 * clock.advance(60_000);
 */
export function createFakeClock(start: number | string | Date = "2026-01-01T00:00:00.000Z"): FakeClock {
  let now = new Date(start).getTime();
  if (Number.isNaN(now)) {
    throw new TypeError(`[@iac/sdk] invalid clock start: expected a date, received ${JSON.stringify(start)}`);
  }
  return {
    now: () => now,
    iso: () => new Date(now).toISOString(),
    advance(ms: number): void {
      now += ms;
    },
    set(at: number | string | Date): void {
      now = new Date(at).getTime();
    },
  };
}
