import { describe, expectTypeOf, test } from "vitest";
import type {
  DokployCompose,
  DokployDeployment,
  DokployDomain,
  DokployEnvironment,
  DokployMount,
  DokployProject,
} from "../../src/index.js";
import type {
  DokployComposeRow,
  DokployDeploymentRow,
  DokployDomainRow,
  DokployEnvironmentRow,
  DokployMountRow,
  DokployProjectRow,
} from "../../src/testing/index.js";

// The fake's rows must be valid values of the response types the clients expose.
describe("fake Dokploy rows", () => {
  test("extend the clients' response types", () => {
    expectTypeOf<DokployProjectRow>().toExtend<DokployProject>();
    expectTypeOf<DokployEnvironmentRow>().toExtend<DokployEnvironment>();
    expectTypeOf<DokployComposeRow>().toExtend<DokployCompose>();
    expectTypeOf<DokployDeploymentRow>().toExtend<DokployDeployment>();
    expectTypeOf<DokployMountRow>().toExtend<DokployMount>();
    expectTypeOf<DokployDomainRow>().toExtend<DokployDomain>();
  });
});
