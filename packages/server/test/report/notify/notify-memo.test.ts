import { describe, expect, it } from "vitest";
import { readNotifyMemo } from "../../../src/report/notify/notify-memo.js";
import type { ReportMemo } from "../../../src/types.js";

describe("readNotifyMemo", () => {
  it.each<[string, ReportMemo, { sent: string[]; refused: string[] }]>([
    ["the memo of an earlier attempt", { sent: ["a"], refused: ["b"] }, { sent: ["a"], refused: ["b"] }],
    ["no memo yet", null, { sent: [], refused: [] }],
    ["another reporter's kind of memo", "kept", { sent: [], refused: [] }],
    ["a list", ["a"], { sent: [], refused: [] }],
    ["keys that are not lists of strings", { sent: ["a", 1, null, ["b"]], refused: "b" }, { sent: ["a"], refused: [] }],
  ])("reads %s", (_, memo, want) => {
    expect(readNotifyMemo(memo)).toEqual(want);
  });
});
