import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { githubFromSettings } from "../../../src/report/github/github-from-settings.js";
import { type FakeGithub, serveFakeGithub } from "../../helpers/fake-github.js";
import { createLineLogger, type LoggedLine, testSettings } from "../../helpers/runner-fixture.js";
import { reportJob, reportOf } from "../report-fixtures.js";

let github: FakeGithub;
let lines: LoggedLine[];

beforeEach(async () => {
  github = await serveFakeGithub();
  lines = [];
});

afterEach(() => github.close());

describe("githubFromSettings", () => {
  it("makes no reporter without a token", () => {
    expect(githubFromSettings(testSettings("https://github.com/acme/infra.git", "/tmp"), createLineLogger(lines))).toBe(
      undefined,
    );
  });

  it("reports to the settings' API and repository, linking the public URL, logging as the github reporter", async () => {
    const settings = testSettings("https://github.com/acme/infra.git", "/tmp", {
      github: { token: github.token, apiUrl: github.apiUrl, repository: "acme/infra" },
      publicUrl: "https://iac.example.com",
    });
    const reporter = githubFromSettings(settings, createLineLogger(lines));

    expect(reporter?.name).toBe("github");
    expect(await reporter?.deliver(reportOf("started", reportJob()), null)).toEqual({ deployment: 1000 });
    expect(github.statuses[0]?.target_url).toBe(`https://iac.example.com/deployments/${reportJob().id}`);
    expect(lines.find((line) => line.msg === "GitHub deployment created")).toMatchObject({
      reporter: "github",
      deployment: 1000,
    });
  });
});
