import { describe, expect, test } from "vitest";
import { type CancelFlag, mergeCancelFlag } from "../../src/store/merge-cancel-flag.js";

describe("mergeCancelFlag", () => {
  const cases: [string, { current: CancelFlag | null; force: boolean; want: CancelFlag }][] = [
    ["first cancel", { current: null, force: false, want: "cancel" }],
    ["first forced cancel", { current: null, force: true, want: "force" }],
    ["force upgrades cancel", { current: "cancel", force: true, want: "force" }],
    ["cancel never downgrades force", { current: "force", force: false, want: "force" }],
  ];
  test.each(cases)("%s", (_, { current, force, want }) => {
    expect(mergeCancelFlag(current, force)).toBe(want);
  });
});
