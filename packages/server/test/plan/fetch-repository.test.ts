import { PlanError } from "@iac/sync";
import { describe, expect, it } from "vitest";
import { fetchRepository } from "../../src/plan/fetch-repository.js";
import { createFakeGit } from "../helpers/fake-git.js";
import { createLineLogger, type LoggedLine } from "../helpers/runner-fixture.js";

describe("fetchRepository", () => {
  it("fetches the mirror and logs nothing", async () => {
    const lines: LoggedLine[] = [];
    const { git, calls } = createFakeGit({ fetch: async () => undefined });
    await fetchRepository(git, createLineLogger(lines));
    expect(calls).toEqual([["fetch"]]);
    expect(lines).toEqual([]);
  });

  it("logs the git error and throws git_fetch_failed without its text", async () => {
    const lines: LoggedLine[] = [];
    const failure = new Error("fatal: could not read from https://token@example.com");
    const { git } = createFakeGit({ fetch: () => Promise.reject(failure) });
    const error = await fetchRepository(git, createLineLogger(lines)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PlanError);
    expect(error).toMatchObject({
      code: "git_fetch_failed",
      message: "could not fetch the repository; see the runner logs",
    });
    expect(lines).toEqual([{ level: "error", msg: "git fetch failed", err: failure }]);
  });
});
