import { describe, expectTypeOf, it } from "vitest";
import { PLAN_ERRORS, PlanError, type PlanErrorCode } from "../src/index.js";

describe("PLAN_ERRORS types", () => {
  it("has exactly one entry per PlanErrorCode", () => {
    expectTypeOf<keyof typeof PLAN_ERRORS>().toEqualTypeOf<PlanErrorCode>();
    expectTypeOf(PLAN_ERRORS).toEqualTypeOf<
      Readonly<Record<PlanErrorCode, { readonly status: number; readonly title: string }>>
    >();
  });

  it("lists the codes a request can be refused with", () => {
    expectTypeOf<PlanErrorCode>().toEqualTypeOf<
      | "unknown_env"
      | "unknown_service"
      | "service_manual"
      | "config_invalid"
      | "invalid_tag"
      | "invalid_ref"
      | "tag_not_found"
      | "commit_not_found"
      | "commit_mismatch"
      | "branch_not_found"
      | "git_fetch_failed"
    >();
  });

  it("types PlanError's fields and refuses codes outside the table", () => {
    expectTypeOf<PlanError["code"]>().toEqualTypeOf<PlanErrorCode>();
    expectTypeOf<PlanError["status"]>().toEqualTypeOf<number>();
    expectTypeOf<PlanError["details"]>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
    // @ts-expect-error not a PlanErrorCode
    new PlanError("not_found", "x");
  });
});
