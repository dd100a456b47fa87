import { createGithubClient } from "../report/github/create-github-client.js";
import type { GithubClientOptions } from "../types.js";

/** Issue comments are listed a page of 100 at a time; a pull request with more than this many pages is not searched. */
const MAX_PAGES = 10;
const PER_PAGE = 100;

/** Posting the plan comment of a pull request. */
export interface PlanComments {
  /**
   * Writes `body` (which starts with `marker`) on pull request `number`: into the earliest comment whose body starts
   * with `marker`, else as a new comment. Rejects as `toReportError` says (a `ReportRefused` when retrying cannot help).
   */
  upsert(number: number, marker: string, body: string): Promise<"created" | "updated">;
}

/**
 * The plan comments of one repository over the issue comments API (a pull request is an issue there).
 * https://docs.github.com/en/rest/issues/comments
 */
export function createPlanComments(options: GithubClientOptions): PlanComments {
  const { octokit, owner, repo, path, call } = createGithubClient(options);

  async function findComment(number: number, marker: string): Promise<number | undefined> {
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
      const found = data.find((comment) => comment.body?.startsWith(marker) === true);
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
