import { afterEach, describe, expect, it, vi } from "vitest";
import { createRequestTally } from "../../src/logging/request-tally.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";

describe("createRequestTally", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("writes one summary per interval with the counts of that interval, and nothing while idle", () => {
    vi.useFakeTimers();
    const lines: LoggedLine[] = [];
    const tally = createRequestTally(createLineLogger(lines), 1_000);
    for (let index = 0; index < 500; index += 1) {
      tally.count(401, "invalid_signature");
    }
    tally.count(202);
    expect(lines).toEqual([]);
    // One timer for the interval, however many answers it counts.
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(lines).toEqual([
      { level: "info", msg: "requests", answered: { "401 invalid_signature": 500, "202": 1 }, intervalMs: 1_000 },
    ]);
    vi.advanceTimersByTime(10_000);
    expect(lines).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    tally.count(200);
    tally.flush();
    expect(lines[1]).toMatchObject({ answered: { "200": 1 } });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("never keeps the process alive: its timer is unref'd", () => {
    const setTimer = vi.spyOn(globalThis, "setTimeout");
    const tally = createRequestTally(createLineLogger([]), 60_000);
    tally.count(200);
    const timer = setTimer.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    tally.flush();
  });

  it("writes nothing when flushed with nothing counted", () => {
    const lines: LoggedLine[] = [];
    const tally = createRequestTally(createLineLogger(lines), 1_000);
    tally.flush();
    tally.count(200);
    tally.flush();
    tally.flush();
    expect(lines).toEqual([{ level: "info", msg: "requests", answered: { "200": 1 }, intervalMs: 1_000 }]);
  });
});
