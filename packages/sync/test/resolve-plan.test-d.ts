import { describe, expectTypeOf, it } from "vitest";
import { type JobPlan, type PlanInput, type PlanRequest, resolvePlan, type ServiceCatalog } from "../src/index.js";

declare const catalog: ServiceCatalog;

describe("resolvePlan types", () => {
  it("turns a PlanInput into a JobPlan", () => {
    expectTypeOf(resolvePlan).parameters.toEqualTypeOf<[PlanInput]>();
    expectTypeOf(resolvePlan).returns.toEqualTypeOf<JobPlan>();
  });

  it("requires changed paths for branch-following triggers only", () => {
    expectTypeOf<{ trigger: "webhook"; env: "staging"; changedPaths: [] }>().toExtend<PlanRequest>();
    expectTypeOf<{ trigger: "deploy"; env: "staging" }>().toExtend<PlanRequest>();
    // @ts-expect-error a push gives the changed paths
    resolvePlan({ request: { trigger: "webhook", env: "staging" }, commit: "", catalog });
    // @ts-expect-error a /deploy names services, not paths
    resolvePlan({ request: { trigger: "deploy", env: "staging", changedPaths: [] }, commit: "", catalog });
  });
});
