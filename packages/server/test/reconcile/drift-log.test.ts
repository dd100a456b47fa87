import { describe, expect, it } from "vitest";
import { createDriftLog } from "../../src/reconcile/drift-log.js";
import type { DriftRoundReport, DriftState } from "../../src/types.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";

function round(states: DriftState[], outcome: DriftRoundReport["outcome"] = "ok"): DriftRoundReport {
  return {
    checkedAt: "2026-01-01T00:00:00.000Z",
    env: "staging",
    commit: "a".repeat(40),
    outcome,
    detail: outcome === "failed" ? "config_invalid" : null,
    services: states.map((state) => ({
      service: "postgres",
      commit: "a".repeat(40),
      state,
      expectedHash: null,
      actualHash: null,
      detail: state,
    })),
    corrections: [],
    environments: [],
  };
}

const DRIFTED = ["warn", "service drifted from the synced commit"];
const BACK = ["info", "service is back in sync"];

describe("createDriftLog", () => {
  it.each<[string, { given: DriftState[]; want: string[][] }]>([
    ["nothing while in sync", { given: ["in_sync", "in_sync"], want: [] }],
    ["one warning for a drift that lasts", { given: ["in_sync", "drifted", "drifted", "drifted"], want: [DRIFTED] }],
    ["a warning, then one line back in sync", { given: ["drifted", "in_sync", "in_sync"], want: [DRIFTED, BACK] }],
    ["nothing when only the kind of drift changes", { given: ["drifted", "not_done", "missing"], want: [DRIFTED] }],
    [
      "nothing for unknown or pending between two drifts",
      { given: ["drifted", "unknown", "pending", "drifted"], want: [DRIFTED] },
    ],
    ["nothing for unknown in sync", { given: ["unknown", "in_sync", "pending", "in_sync"], want: [] }],
    [
      "a line per change",
      { given: ["missing", "in_sync", "not_done", "in_sync"], want: [DRIFTED, BACK, DRIFTED, BACK] },
    ],
  ])("logs %s", (_name, { given, want }) => {
    const lines: LoggedLine[] = [];
    const log = createDriftLog(createLineLogger(lines));
    for (const state of given) {
      log(round([state]));
    }
    expect(lines.map((line) => [line.level, line.msg])).toEqual(want);
  });

  it("says once when rounds start failing and once when they work again", () => {
    const lines: LoggedLine[] = [];
    const log = createDriftLog(createLineLogger(lines));
    for (const outcome of ["ok", "failed", "failed", "idle", "ok"] as const) {
      log(round([], outcome));
    }
    expect(lines.map((line) => [line.level, line.msg, line["detail"]])).toEqual([
      ["warn", "drift detection is failing", "config_invalid"],
      ["info", "drift detection works again", undefined],
    ]);
  });

  it("keeps the states of each environment apart: the same service drifting in two is logged in each", () => {
    const lines: LoggedLine[] = [];
    const log = createDriftLog(createLineLogger(lines));
    const production = (states: DriftState[], outcome: DriftRoundReport["outcome"] = "ok") => ({
      ...round(states, outcome),
      env: "production",
    });
    log({ ...round(["drifted"]), environments: [production(["in_sync"])] });
    log({ ...round(["drifted"]), environments: [production(["drifted"])] });
    log({ ...round(["drifted"]), environments: [production([], "failed")] });
    log({ ...round(["in_sync"]), environments: [production(["in_sync"])] });
    expect(lines.map((line) => [line.level, line.msg, line["env"]])).toEqual([
      [...DRIFTED, "staging"],
      [...DRIFTED, "production"],
      ["warn", "drift detection is failing", "production"],
      [...BACK, "staging"],
      ["info", "drift detection works again", "production"],
      [...BACK, "production"],
    ]);
  });
});
