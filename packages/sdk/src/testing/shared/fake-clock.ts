import type { FakeClock } from "../types.js";

function toTime(at: number | string | Date, name: string): number {
  const time = new Date(at).getTime();
  if (Number.isNaN(time)) {
    throw new TypeError(`[@iac/sdk] invalid clock ${name}: expected a date, received ${JSON.stringify(at)}`);
  }
  return time;
}

/**
 * Creates a manual clock shared by the fakes: time only moves when a test calls `advance` or `set`.
 *
 * @example
 * const clock = createFakeClock("2026-01-01T00:00:00Z");
 * clock.advance(60_000);
 */
export function createFakeClock(start: number | string | Date = "2026-01-01T00:00:00.000Z"): FakeClock {
  let now = toTime(start, "start");
  return {
    now: () => now,
    iso: () => new Date(now).toISOString(),
    advance(ms: number): void {
      if (!Number.isFinite(ms)) {
        throw new TypeError(`[@iac/sdk] invalid clock advance: expected a finite number of ms, received ${ms}`);
      }
      now += ms;
    },
    set(at: number | string | Date): void {
      now = toTime(at, "time");
    },
  };
}
