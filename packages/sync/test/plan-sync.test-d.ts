import { describe, expectTypeOf, it } from "vitest";
import { planSync, type SyncAction, type SyncPlanItem, type SyncReasonCode } from "../src/index.js";

describe("planSync types", () => {
  it("returns one item per desired service with closed action and reason unions", () => {
    expectTypeOf(planSync).returns.toEqualTypeOf<SyncPlanItem[]>();
    expectTypeOf<SyncAction>().toEqualTypeOf<"create" | "update" | "skip">();
    expectTypeOf<SyncReasonCode>().toEqualTypeOf<
      "missing" | "no_hash" | "hash_changed" | "up_to_date" | "legacy_match"
    >();
  });

  it("requires the deployed hash to be given, even as null", () => {
    // @ts-expect-error hash is string | null, not optional
    planSync([], [{ service: "a", exists: true }]);
  });
});
