import { createGithubClient } from "../report/github/create-github-client.js";
import { refusedStatus } from "../report/github/github-failure.js";
import type { GithubClientOptions } from "../types.js";

/** Issue comments are listed a page of 100 at a time; a pull request with more than this many pages is not searched. */
const MAX_PAGES = 10;
const PER_PAGE = 100;

/** Posting the plan comment of a pull request. */
export interface PlanComments {
  /**
   * Writes `body` (which starts with `marker`) on pull request `number`: into the earliest comment the runner's token
   * wrote whose body starts with `marker`, else as a new comment. Rejects as `toReportError` says (a `ReportRefused`
   * when retrying cannot help).
   */
  upsert(number: number, marker: string, body: string): Promise<"created" | "updated">;
}

/**
 * Who the token writes as: its login, or, for an app's installation token (which GitHub refuses `GET /user`), any
 * GitHub App: an app's comments are by `<app>[bot]`, of type `Bot`, which no person can post as.
 */
type Author = { readonly login: string } | "app";

/** What the comments API says of a comment's author. */
interface CommentUser {
  readonly login: string;
  readonly type?: string;
}

/**
 * The plan comments of one repository over the issue comments API (a pull request is an issue there). Only the
 * token's own comments are ever edited: anyone may post a comment that starts with the marker, and the plan written
 * into it would show under their name, which they could then edit to show another plan.
 * https://docs.github.com/en/rest/issues/comments
 */
export function createPlanComments(options: GithubClientOptions): PlanComments {
  const { octokit, owner, repo, path, call } = createGithubClient(options);
  let author: Promise<Author> | undefined;

  /** The token's author, asked once per process (and again after the question failed). */
  function authorOf(): Promise<Author> {
    if (author !== undefined) {
      return author;
    }
    const asked = call("GET /user", (signal) =>
      octokit.request("GET /user", { request: { signal } }).then(
        ({ data }): Author => ({ login: data.login }),
        (error: unknown): Author => {
          if (refusedStatus(error) === 403) {
            return "app";
          }
          throw error;
        },
      ),
    );
    author = asked;
    asked.catch(() => {
      if (author === asked) {
        author = undefined;
      }
    });
    return asked;
  }

  const wrote = (who: Author, user: CommentUser | null | undefined): boolean =>
    who === "app" ? user?.type === "Bot" : user?.login === who.login;

  async function findComment(number: number, marker: string): Promise<number | undefined> {
    const who = await authorOf();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await call(`GET ${path}/issues/${number}/comments`, (signal) =>
        octokit.request("GET /repos/{owner}/{repo}/issues/{issue_number}/comments", {
          owner,
          repo,
          issue_number: number,
          per_page: PER_PAGE,
          page,
          request: { signal },
        }),
      );
      const found = data.find((comment) => comment.body?.startsWith(marker) === true && wrote(who, comment.user));
      if (found !== undefined) {
        return Number(found.id);
      }
      if (data.length < PER_PAGE) {
        return undefined;
      }
    }
    return undefined;
  }

  return {
    async upsert(number, marker, body) {
      const id = await findComment(number, marker);
      if (id === undefined) {
        await call(`POST ${path}/issues/${number}/comments`, (signal) =>
          octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
            owner,
            repo,
            issue_number: number,
            body,
            request: { signal },
          }),
        );
        return "created";
      }
      await call(`PATCH ${path}/issues/comments/${id}`, (signal) =>
        octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
          owner,
          repo,
          comment_id: id,
          body,
          request: { signal },
        }),
      );
      return "updated";
    },
  };
}
