import { ReportRefused } from "../report-refused.js";

/** What an Octokit `RequestError` carries (its class is not part of the packages the runner depends on). */
interface RequestFailure {
  status?: unknown;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> } | undefined;
}

/** What an operator should check when GitHub refuses a request for good. */
function hintOf(status: number, repository: string): string {
  switch (status) {
    case 401:
      return " (the token is invalid or expired)";
    case 403:
      return ` (the token may not write commit statuses, deployments or pull request comments of ${repository})`;
    case 404:
      return ` (the repository ${repository} does not exist or the token cannot see it)`;
    default:
      return "";
  }
}

/**
 * GitHub's secondary rate limits answer 403, like a missing permission; the headers or the message tell them apart.
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#rate-limit-errors
 */
function isRateLimited(failure: RequestFailure): boolean {
  const headers = failure.response?.headers ?? {};
  return (
    String(headers["x-ratelimit-remaining"]) === "0" ||
    headers["retry-after"] !== undefined ||
    /rate limit/i.test(failure.message)
  );
}

/**
 * The rejection of a failed GitHub request, named by `request` (`POST /repos/acme/infra/deployments`): a
 * {@link ReportRefused} when GitHub refuses the request itself (bad token, unknown repository, invalid request), which
 * retrying cannot fix; a plain error (retried later) for a server error, a rate limit, a timeout or no answer. The
 * message never carries the token: it is made of the request line and GitHub's own answer.
 */
export function toReportError(error: unknown, request: string, repository: string): Error {
  const failure = error as RequestFailure;
  const status = typeof failure?.status === "number" ? failure.status : undefined;
  const answer = error instanceof Error ? error.message : String(error);
  const refused = refusedStatus(error);
  if (refused === undefined) {
    const reached = status === undefined || (status === 500 && failure.response === undefined);
    return new Error(
      reached
        ? `[@iac/server] GitHub did not answer ${request}: ${answer}`
        : `[@iac/server] GitHub answered ${status} to ${request}: ${answer}`,
    );
  }
  return new ReportRefused(
    `[@iac/server] GitHub refused ${request} with ${refused}${hintOf(refused, repository)}: ${answer}`,
  );
}

/**
 * The status with which GitHub refused a request for good (a client error other than a timeout or a rate limit), or
 * undefined for a failure worth retrying: a server error, a rate limit, a timeout or no answer.
 */
export function refusedStatus(error: unknown): number | undefined {
  const failure = error as RequestFailure;
  const status = typeof failure?.status === "number" ? failure.status : undefined;
  const retried =
    status === undefined ||
    status < 400 ||
    status >= 500 ||
    status === 408 ||
    status === 429 ||
    (status === 403 && isRateLimited(failure));
  return retried ? undefined : status;
}
