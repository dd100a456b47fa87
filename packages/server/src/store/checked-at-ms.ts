import type { DriftRoundReport } from "../types.js";

/**
 * The time a drift round was checked, in ms, by which stores keep the later of two rounds.
 *
 * @throws {TypeError} for a `checkedAt` that is not a date: such a report could never be ordered.
 */
export function checkedAtMs(report: DriftRoundReport): number {
  const ms = Date.parse(report.checkedAt);
  if (!Number.isFinite(ms)) {
    throw new TypeError(
      `[@iac/server] invalid drift report: expected checkedAt to be an ISO time, received ${JSON.stringify(report.checkedAt)}`,
    );
  }
  return ms;
}
