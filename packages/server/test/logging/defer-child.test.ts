import { describe, expect, it } from "vitest";
import { deferChild } from "../../src/logging/defer-child.js";
import type { Logger } from "../../src/types.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";

/** A line logger that counts the children built from it. */
function countingLogger(lines: LoggedLine[]): { logger: Logger; built: () => number } {
  let built = 0;
  const wrap = (inner: Logger): Logger => ({
    ...inner,
    child: (bindings) => {
      built += 1;
      return wrap(inner.child(bindings));
    },
  });
  return { logger: wrap(createLineLogger(lines)), built: () => built };
}

describe("deferChild", () => {
  it("builds no child logger until a line is written", () => {
    const lines: LoggedLine[] = [];
    const { logger, built } = countingLogger(lines);
    deferChild(logger, { requestId: "r-1" }).child({ delivery: "d-1" });
    expect([built(), lines]).toEqual([0, []]);
  });

  it("makes bindings given as a function only when a line is written, once", () => {
    const lines: LoggedLine[] = [];
    const { logger } = countingLogger(lines);
    let made = 0;
    const request = deferChild(logger, () => {
      made += 1;
      return { requestId: `r-${made}` };
    });
    request.child({ delivery: "d-1" });
    expect(made).toBe(0);
    request.info({}, "one");
    request.child({ delivery: "d-1" }).info({}, "two");
    expect(made).toBe(1);
    expect(lines).toEqual([
      { requestId: "r-1", level: "info", msg: "one" },
      { requestId: "r-1", delivery: "d-1", level: "info", msg: "two" },
    ]);
  });

  it("writes lines with its bindings and those of its own children, building each child once", () => {
    const lines: LoggedLine[] = [];
    const { logger, built } = countingLogger(lines);
    const request = deferChild(logger, { requestId: "r-1" });
    const delivery = request.child({ delivery: "d-1" });
    delivery.info({ commit: "abc" }, "push planned");
    delivery.warn({}, "again");
    request.error({}, "failed");
    request.debug({ step: 1 }, "detail");
    expect(lines).toEqual([
      { requestId: "r-1", delivery: "d-1", commit: "abc", level: "info", msg: "push planned" },
      { requestId: "r-1", delivery: "d-1", level: "warn", msg: "again" },
      { requestId: "r-1", level: "error", msg: "failed" },
      { requestId: "r-1", step: 1, level: "debug", msg: "detail" },
    ]);
    expect(built()).toBe(2);
  });
});
