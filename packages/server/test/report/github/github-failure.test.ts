import { describe, expect, it } from "vitest";
import { toReportError } from "../../../src/report/github/github-failure.js";
import { ReportRefused } from "../../../src/report/report-refused.js";

const REQUEST = "POST /repos/acme/infra/deployments";

/** What Octokit rejects with: its message, the status and (when GitHub answered) the response headers. */
function requestError(status: unknown, message = "GitHub said no", headers?: Record<string, string>): Error {
  return Object.assign(new Error(message), { status }, headers === undefined ? {} : { response: { headers } });
}

describe("toReportError", () => {
  it.each<[string, unknown, string]>([
    [
      "no answer at all",
      new TypeError("fetch failed"),
      "GitHub did not answer POST /repos/acme/infra/deployments: fetch failed",
    ],
    ["a rejection that is no error", null, "GitHub did not answer POST /repos/acme/infra/deployments: null"],
    [
      "a status that is no number",
      requestError("500"),
      "GitHub did not answer POST /repos/acme/infra/deployments: GitHub said no",
    ],
    [
      "Octokit's 500 for no answer",
      requestError(500),
      "GitHub did not answer POST /repos/acme/infra/deployments: GitHub said no",
    ],
    ["a 500 answer", requestError(500, "boom", {}), "GitHub answered 500 to POST /repos/acme/infra/deployments: boom"],
    ["a 503 answer", requestError(503), "GitHub answered 503 to POST /repos/acme/infra/deployments: GitHub said no"],
    [
      "a 304",
      requestError(304, "not modified", {}),
      "GitHub answered 304 to POST /repos/acme/infra/deployments: not modified",
    ],
    ["a 408", requestError(408, "timeout", {}), "GitHub answered 408 to POST /repos/acme/infra/deployments: timeout"],
    [
      "a 429",
      requestError(429, "slow down", {}),
      "GitHub answered 429 to POST /repos/acme/infra/deployments: slow down",
    ],
    [
      "a 403 with retry-after",
      requestError(403, "wait", { "retry-after": "60" }),
      "GitHub answered 403 to POST /repos/acme/infra/deployments: wait",
    ],
    [
      "a 403 with no requests left",
      requestError(403, "wait", { "x-ratelimit-remaining": "0" }),
      "GitHub answered 403 to POST /repos/acme/infra/deployments: wait",
    ],
    [
      "a 403 naming a rate limit",
      requestError(403, "You have exceeded a secondary Rate Limit"),
      "GitHub answered 403 to POST /repos/acme/infra/deployments: You have exceeded a secondary Rate Limit",
    ],
  ])("retries later on %s", (_, error, message) => {
    const rejection = toReportError(error, REQUEST, "acme/infra");
    expect(rejection).not.toBeInstanceOf(ReportRefused);
    expect(rejection.message).toBe(`[@iac/server] ${message}`);
  });

  it.each<[string, Error, string]>([
    ["a 400", requestError(400, "Bad request", {}), "400: Bad request"],
    ["a 401", requestError(401, "Bad credentials", {}), "401 (the token is invalid or expired): Bad credentials"],
    [
      "a 403 without a rate limit",
      requestError(403, "Resource not accessible", { "x-ratelimit-remaining": "4999" }),
      "403 (the token may not write commit statuses, deployments or pull request comments of acme/infra): Resource not accessible",
    ],
    [
      "a 403 without headers",
      requestError(403, "Forbidden"),
      "403 (the token may not write commit statuses, deployments or pull request comments of acme/infra): Forbidden",
    ],
    [
      "a 404",
      requestError(404, "Not Found", {}),
      "404 (the repository acme/infra does not exist or the token cannot see it): Not Found",
    ],
    ["a 422", requestError(422, "Validation Failed", {}), "422: Validation Failed"],
    // Only a 403 can be a rate limit in disguise: GitHub answers its primary limit with 403 or 429.
    ["a 422 that speaks of a rate limit", requestError(422, "rate limit", { "retry-after": "1" }), "422: rate limit"],
    ["a 499", requestError(499, "odd", {}), "499: odd"],
  ])("refuses for good on %s", (_, error, said) => {
    const rejection = toReportError(error, REQUEST, "acme/infra");
    expect(rejection).toBeInstanceOf(ReportRefused);
    expect(rejection.message).toBe(`[@iac/server] GitHub refused POST /repos/acme/infra/deployments with ${said}`);
  });
});
