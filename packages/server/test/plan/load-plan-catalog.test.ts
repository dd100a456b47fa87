import { IacConfigError, PlanError } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { GitError } from "../../src/git/run-git.js";
import { loadPlanCatalog } from "../../src/plan/load-plan-catalog.js";
import type { GitMirror } from "../../src/types.js";
import { createFakeGit } from "../helpers/fake-git.js";

const COMMIT = "d".repeat(40);
const FILES = ["platform/01.postgres/compose.yaml", "platform/02.redis/compose.yaml"];

/** A mirror holding `FILES` and, unless null, `config` as iac.config.yaml. */
function mirror(config: string | null, overrides: Partial<GitMirror> = {}): GitMirror {
  return createFakeGit({
    listFiles: async () => FILES,
    readFile: async () => (config === null ? null : new TextEncoder().encode(config)),
    ...overrides,
  }).git;
}

describe("loadPlanCatalog", () => {
  it("answers the config and the services of the commit", async () => {
    const { config, catalog } = await loadPlanCatalog(mirror(null), COMMIT);
    expect(Object.keys(config.environments)).toEqual(["staging", "production"]);
    expect(catalog.services.map((service) => service.name)).toEqual(["postgres", "redis"]);
  });

  it("turns an invalid iac.config.yaml into config_invalid with the config error's message", async () => {
    const error = await loadPlanCatalog(mirror("layers:\n  platform: sometimes\n"), COMMIT).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PlanError);
    const { message } = error as PlanError;
    expect(error).toMatchObject({ code: "config_invalid" });
    expect(message).toMatch(/^\[@iac\/sync\] invalid iac\.config\.yaml at layers\.platform: /);
  });

  it("turns a git failure into git_fetch_failed naming the commit, not git's text", async () => {
    const git = mirror(null, {
      listFiles: () => Promise.reject(new GitError("ls-tree", 128, false, "object store damaged")),
    });
    const error = await loadPlanCatalog(git, COMMIT).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toMatchObject({
      code: "git_fetch_failed",
      message: `the repository could not be read at ${COMMIT}`,
    });
  });

  it("lets any other error through unchanged", async () => {
    const failure = new RangeError("something else broke");
    const error = await loadPlanCatalog(mirror(null, { listFiles: () => Promise.reject(failure) }), COMMIT).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBe(failure);
    expect(error).not.toBeInstanceOf(IacConfigError);
  });
});
