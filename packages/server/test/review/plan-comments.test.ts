// The plan comment of a pull request is written only into a comment of the runner's own token, on a fake GitHub on
// loopback: anyone can post a comment that starts with the marker.

import { afterEach, describe, expect, it } from "vitest";
import { ReportRefused } from "../../src/report/report-refused.js";
import { createPlanComments } from "../../src/review/create-plan-comments.js";
import { type FakeGithub, type GithubUser, serveFakeGithub } from "../helpers/fake-github.js";

const MARKER = "<!-- iac-runner:plan:staging -->";
const plan = (text: string): string => `${MARKER}\n${text}`;
const PERSON: GithubUser = { login: "mallory", type: "User" };
const APP: GithubUser = { login: "iac-app[bot]", type: "Bot" };

let github: FakeGithub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function commentsOn(options: { identity?: GithubUser } = {}) {
  github = await serveFakeGithub(options);
  const comments = createPlanComments({ token: github.token, repository: "acme/infra", apiUrl: github.apiUrl });
  return { github, comments };
}

const userLookups = (fake: FakeGithub): number =>
  fake.calls.filter((call) => call.method === "GET" && call.path === "/user").length;

describe("createPlanComments", () => {
  it("leaves a comment someone else started with the marker alone, and keeps its own up to date", async () => {
    const { github, comments } = await commentsOn();
    const planted = github.addComment(7, plan("nothing to deploy"), PERSON);

    expect(await comments.upsert(7, MARKER, plan("postgres: deploy"))).toBe("created");
    expect(await comments.upsert(7, MARKER, plan("postgres, redis: deploy"))).toBe("updated");

    expect(planted).toMatchObject({ body: plan("nothing to deploy"), edits: 0 });
    const own = github.comments.filter((comment) => comment.user.login === "iac-bot");
    expect(own).toMatchObject([{ issue: 7, body: plan("postgres, redis: deploy"), edits: 1 }]);
    // Who the token writes as is asked once.
    expect(userLookups(github)).toBe(1);
  });

  it("keeps the plan of another environment, written with the same token, apart", async () => {
    const { github, comments } = await commentsOn();
    const production = "<!-- iac-runner:plan:production -->";
    const other = github.addComment(2, `${production}\nproduction plan`, { login: "iac-bot", type: "User" });
    expect(await comments.upsert(2, MARKER, plan("staging plan"))).toBe("created");
    expect(other).toMatchObject({ body: `${production}\nproduction plan`, edits: 0 });
  });

  it("finds its comment past the first page of 100", async () => {
    const { github, comments } = await commentsOn();
    for (let index = 0; index < 130; index++) {
      github.addComment(9, `comment ${index}`, PERSON);
    }
    const own = github.addComment(9, plan("first plan"), { login: "iac-bot", type: "User" });
    expect(await comments.upsert(9, MARKER, plan("second plan"))).toBe("updated");
    expect(own).toMatchObject({ body: plan("second plan"), edits: 1 });
    const pages = github.calls.filter((call) => call.method === "GET" && call.path.endsWith("/issues/9/comments"));
    expect(pages.map((call) => call.query["page"])).toEqual(["1", "2"]);
  });

  it("with an app's installation token, which cannot read GET /user, edits only comments of a bot", async () => {
    const { github, comments } = await commentsOn({ identity: APP });
    const planted = github.addComment(3, plan("nothing to deploy"), PERSON);
    // Written by the same app before a restart.
    const earlier = github.addComment(3, plan("first plan"), APP);

    expect(await comments.upsert(3, MARKER, plan("second plan"))).toBe("updated");
    expect(earlier).toMatchObject({ body: plan("second plan"), edits: 1 });
    expect(planted).toMatchObject({ body: plan("nothing to deploy"), edits: 0 });

    expect(await comments.upsert(4, MARKER, plan("a plan"))).toBe("created");
    expect(github.comments.at(-1)).toMatchObject({ issue: 4, user: APP, body: plan("a plan") });
  });

  it("asks again who it is after GET /user failed in a way that may pass, and writes nothing until it knows", async () => {
    const { github, comments } = await commentsOn();
    github.failNext(/^GET \/user$/, { status: 502 });
    const failed = await comments.upsert(5, MARKER, plan("a plan")).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(failed).not.toBeInstanceOf(ReportRefused);
    expect((failed as Error).message).toMatch(/GET \/user/);
    expect(github.comments).toEqual([]);

    expect(await comments.upsert(5, MARKER, plan("a plan"))).toBe("created");
    expect(userLookups(github)).toBe(2);
  });

  it("gives up on a token GitHub refuses, without writing", async () => {
    github = await serveFakeGithub();
    const comments = createPlanComments({ token: "ghp_revoked", repository: "acme/infra", apiUrl: github.apiUrl });
    await expect(comments.upsert(6, MARKER, plan("a plan"))).rejects.toThrow(ReportRefused);
    expect(github.comments).toEqual([]);
  });
});
